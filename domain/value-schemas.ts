/**
 * The zod schemas of the domain's primitive values: money, calendar dates, division codes. They live apart from
 * `money.ts`, `dates.ts` and `divisions.ts` so those stay free of zod: workflow code imports them, and the workflow
 * bundle evaluates every module it carries once per workflow instance (zod alone cost 1.1 MiB and 32 ms per
 * workflow). `test/integration/replay.test.ts` checks the bundle carries no zod.
 */
import { z } from 'zod';
import { isRealDate } from './dates';

/** Non-negative whole fen, at most 10^13 (¥100 billion): far above any claim, far below 2^53. */
export const FenSchema = z
  .number()
  .int('must be whole fen (integer)')
  .nonnegative('must not be negative')
  .max(10_000_000_000_000, 'is implausibly large');

/** A rate in basis points: 10000 = 100%. */
export const BasisPointsSchema = z.number().int().min(0).max(10_000);

export const LocalDateSchema = z.string().refine(isRealDate, { message: 'must be a real calendar date YYYY-MM-DD' });

export const VillageCodeSchema = z.string().regex(/^\d{12}$/, 'must be a 12-digit village code');
export const JurisdictionSchema = z
  .string()
  .regex(/^(\d{6}|\d{9}|\d{12})$/, 'must be a division code prefix of 6 (county), 9 (township) or 12 (village) digits');
