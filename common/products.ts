import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProduct, type Product } from '../domain/product';
import { SIXIAN_PRODUCTS } from '../domain/products';

/** The product versions in force: every *.json in `dir` (validated, each error naming its file and field), or the shipped defaults. */
export function loadProducts(dir: string | undefined): readonly Product[] {
  if (!dir) return SIXIAN_PRODUCTS;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`PRODUCTS_DIR ${dir} holds no product *.json file`);
  return files.map((f) => loadProduct(JSON.parse(readFileSync(join(dir, f), 'utf8')), join(dir, f)));
}
