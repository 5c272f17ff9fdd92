/**
 * The shipped Sixian product versions (ILLUSTRATIVE numbers from shared/domain.md, marked `illustrative: true`).
 * Health runs 1 Apr–31 Mar; the other lines 31 May–30 May. A deployment replaces these files with its signed policies.
 */
import { loadProduct, type Product } from '../product';
import sixian2025 from './sixian-2025.json';
import sixian2026 from './sixian-2026.json';

export const SIXIAN_PRODUCTS: readonly Product[] = [
  loadProduct(sixian2025, 'domain/products/sixian-2025.json'),
  loadProduct(sixian2026, 'domain/products/sixian-2026.json'),
];
