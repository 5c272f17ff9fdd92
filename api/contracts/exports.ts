import { z } from 'zod';
import { LINES } from '../../domain/codes';
import { daysBetween } from '../../domain/dates';
import { JurisdictionSchema, LocalDateSchema } from '../../domain/value-schemas';

const insurer = z
  .string()
  .regex(/^[a-z0-9-]{2,40}$/)
  .optional();

/** `GET /exports/payouts`: the payments settled in a period of Beijing days (both ends included, at most a year). */
export const ExportPayoutsQuery = z
  .strictObject({
    from: LocalDateSchema,
    to: LocalDateSchema,
    division: JurisdictionSchema.optional(),
    line: z.enum(LINES).optional(),
    insurer,
  })
  .superRefine((q, ctx) => {
    if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (daysBetween(q.from, q.to) > 366)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 366 days after from' });
  });
export type ExportPayoutsQuery = z.infer<typeof ExportPayoutsQuery>;

/** `GET /exports/exposure`: each household's caps, held, paid and remaining money, optionally for one policy year. */
export const ExportExposureQuery = z.strictObject({
  division: JurisdictionSchema.optional(),
  year: z.coerce.number().int().min(2016).max(2100).optional(),
});

/** `GET /exports/roster`: the households of the jurisdiction in the import template's layout, for one policy year. */
export const ExportRosterQuery = ExportExposureQuery;
