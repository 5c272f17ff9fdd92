/**
 * Money is integer fen (分) everywhere. One rounding rule for the whole service:
 *
 *   **every amount derived by a rate or ratio is rounded down to the whole fen** (never pay a fraction of a fen more
 *   than the rule gives), and the rounding happens once per explained step, so the explanation adds up exactly.
 *
 * Products of amounts and rates are computed with BigInt, so no intermediate can lose precision.
 */
export type Fen = number;

export const FULL_RATE_BP = 10_000;

export function yuan(amount: number): Fen {
  const fen = Math.round(amount * 100);
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a representable amount: ${amount}`);
  return fen;
}

/** floor(a × b / c) exactly, for non-negative integers. */
export function mulDiv(a: number, b: number, c: number): number {
  if (c <= 0) throw new RangeError('divisor must be positive');
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** floor(amount × rate), the rate in basis points. */
export function applyRate(amount: Fen, rateBp: number): Fen {
  return mulDiv(amount, rateBp, FULL_RATE_BP);
}

/** ¥12,345.67 — for explanations and notices. */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

export function formatRate(bp: number): string {
  return `${bp % 100 === 0 ? bp / 100 : (bp / 100).toFixed(2)}%`;
}
