import { loadProduct, ProductConfigError, ruleFor } from '../../domain/product';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import sixian2026 from '../../domain/products/sixian-2026.json';

const clone = (): Record<string, unknown> => JSON.parse(JSON.stringify(sixian2026)) as Record<string, unknown>;

function issuesOf(config: unknown): { path: string; message: string }[] {
  try {
    loadProduct(config, 'test.json');
  } catch (error) {
    if (error instanceof ProductConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('product configuration', () => {
  test('the shipped Sixian products load, are marked illustrative and carry all five lines', () => {
    expect(SIXIAN_PRODUCTS.map((p) => p.policyYear)).toEqual([2025, 2026]);
    for (const p of SIXIAN_PRODUCTS) {
      expect(p.illustrative).toBe(true);
      expect(Object.keys(p.lines).sort()).toEqual(['accident', 'crop', 'education', 'health', 'property']);
    }
  });

  test('each line has its own policy period: health from 1 April, the others from 31 May', () => {
    const p = SIXIAN_PRODUCTS[1]!;
    expect(p.lines.health?.period).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    expect(p.lines.crop?.period).toEqual({ start: '2026-05-31', end: '2027-05-30' });
  });

  test('when a health tier rate is out of range, then the error names the field', () => {
    const bad = clone();
    (bad as { lines: { health: { tiers: { rateBp: number }[] } } }).lines.health.tiers[1]!.rateBp = 12_000;
    expect(issuesOf(bad)).toEqual([{ path: 'lines.health.tiers.1.rateBp', message: expect.stringMatching(/10000/) }]);
  });

  test('when tiers leave a gap, then the error names the tier', () => {
    const bad = clone();
    (bad as { lines: { health: { tiers: { toFen: number }[] } } }).lines.health.tiers[0]!.toFen = 1_900_000;
    expect(issuesOf(bad)).toEqual([{ path: 'lines.health.tiers.0.toFen', message: expect.stringContaining('contiguous') }]);
  });

  test('when a mandatory line is missing, then the error names it', () => {
    const bad = clone();
    delete (bad as { lines: Record<string, unknown> }).lines.accident;
    expect(issuesOf(bad)).toEqual([{ path: 'lines.accident', message: 'mandatory line accident is missing' }]);
  });

  test('when a period ends before it starts, when money is fractional and when a field is unknown, then each is named', () => {
    const bad = clone() as {
      lines: { crop: Record<string, unknown> & { period: { end: string } }; property: Record<string, unknown> };
    };
    bad.lines.crop.period.end = '2026-01-01';
    bad.lines.property.deductibleFen = 500.5;
    bad.lines.crop.surprise = true;
    const paths = issuesOf(bad)
      .map((i) => i.path)
      .sort();
    expect(paths).toEqual(['lines.crop', 'lines.crop.period.end', 'lines.property.deductibleFen']);
  });

  test('when the error is thrown, then its message lists the source and every field', () => {
    const bad = clone();
    (bad as { policyYear: unknown }).policyYear = 'next';
    expect(() => loadProduct(bad, 'config/products/x.json')).toThrow(
      /^Invalid product configuration in config\/products\/x\.json:\n {2}- policyYear: /,
    );
  });

  test('ruleFor picks the version whose period for that line covers the event date', () => {
    expect(ruleFor(SIXIAN_PRODUCTS, 'health', '2026-03-31')?.product.policyYear).toBe(2025);
    expect(ruleFor(SIXIAN_PRODUCTS, 'health', '2026-04-01')?.product.policyYear).toBe(2026);
    expect(ruleFor(SIXIAN_PRODUCTS, 'crop', '2026-05-30')?.product.policyYear).toBe(2025);
    expect(ruleFor(SIXIAN_PRODUCTS, 'crop', '2026-05-31')?.product.policyYear).toBe(2026);
    expect(ruleFor(SIXIAN_PRODUCTS, 'crop', '2025-05-30')).toBeUndefined();
  });
});
