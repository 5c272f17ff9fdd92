/**
 * `npm run templates`: writes the Excel import templates the API serves into docs/templates/, for the README (and
 * for whoever prepares a file away from the workbench). A test checks the written ones still match the code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rosterTemplate } from '../api/imports/roster-template';

export const TEMPLATES_DIR = join(__dirname, '..', 'docs', 'templates');

async function main(): Promise<void> {
  mkdirSync(TEMPLATES_DIR, { recursive: true });
  const file = join(TEMPLATES_DIR, '农户花名册导入模板.xlsx');
  writeFileSync(file, await rosterTemplate());
  console.log(`written: ${file}`);
}

void main();
