/**
 * `npm run templates`: writes the Excel import templates the API serves into docs/templates/, for the README (and
 * for whoever prepares a file away from the workbench). A test checks the written ones still match the code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimsTemplate } from '../api/imports/claims-template';
import { rosterTemplate } from '../api/imports/roster-template';
import { SIXIAN_PRODUCTS } from '../domain/products';

export const TEMPLATES_DIR = join(__dirname, '..', 'docs', 'templates');

async function main(): Promise<void> {
  mkdirSync(TEMPLATES_DIR, { recursive: true });
  const templates: [string, Buffer][] = [
    ['农户花名册导入模板.xlsx', await rosterTemplate()],
    ['批量报案导入模板.xlsx', await claimsTemplate(SIXIAN_PRODUCTS)],
  ];
  for (const [name, content] of templates) {
    const file = join(TEMPLATES_DIR, name);
    writeFileSync(file, content);
    console.log(`written: ${file}`);
  }
}

void main();
