/**
 * Disaster events (灾情): a county or township declares one (its type, date, affected villages and the lines it
 * concerns: crops, property); each affected enrolled household's loss is entered, and the losses are filed as a batch
 * of ordinary claims. Pure: the vocabulary, the shapes, and the claim a loss entry becomes.
 */
import { z } from 'zod';
import { ClaimDocumentSchema, type ClaimInput } from './claim';
import { shanghaiDateOf, type LocalDate } from './dates';
import { HouseholdIdSchema, MemberIdSchema } from './household';
import { FenSchema, LocalDateSchema, VillageCodeSchema } from './value-schemas';

export const DISASTER_TYPES = ['flood', 'storm', 'hail', 'drought', 'frost', 'fire', 'earthquake', 'other'] as const;
export type DisasterType = (typeof DISASTER_TYPES)[number];

export const DISASTER_LABELS: Record<DisasterType, { zh: string; en: string }> = {
  flood: { zh: '洪涝', en: 'flood' },
  storm: { zh: '风灾（暴风、台风）', en: 'storm' },
  hail: { zh: '冰雹', en: 'hail' },
  drought: { zh: '旱灾', en: 'drought' },
  frost: { zh: '冻灾（低温、霜冻）', en: 'frost' },
  fire: { zh: '火灾', en: 'fire' },
  earthquake: { zh: '地震', en: 'earthquake' },
  other: { zh: '其他灾害', en: 'other disaster' },
};

export const DISASTER_LINES = ['crop', 'property'] as const;
export type DisasterLine = (typeof DISASTER_LINES)[number];

/** The property line's cause for each disaster type (a crop loss to any of them is a natural disaster). */
const PROPERTY_CAUSE: Record<DisasterType, 'flood' | 'storm' | 'hail' | 'fire' | 'earthquake' | 'other'> = {
  flood: 'flood',
  storm: 'storm',
  hail: 'hail',
  drought: 'other',
  frost: 'other',
  fire: 'fire',
  earthquake: 'earthquake',
  other: 'other',
};

export const DisasterIdSchema = z.string().regex(/^DZ-\d{8}-[0-9a-f]{6}$/, 'a disaster event id');

export const DeclareDisasterSchema = z
  .strictObject({
    type: z.enum(DISASTER_TYPES),
    /** e.g. 2026年7月草沟镇暴雨 */
    name: z.string().trim().min(1).max(100),
    eventDate: LocalDateSchema,
    villages: z.array(VillageCodeSchema).min(1, 'at least one village').max(500),
    lines: z.array(z.enum(DISASTER_LINES)).min(1, 'at least one line').max(2),
  })
  .superRefine((d, ctx) => {
    if (new Set(d.villages).size !== d.villages.length)
      ctx.addIssue({ code: 'custom', path: ['villages'], message: 'a village appears more than once' });
    if (new Set(d.lines).size !== d.lines.length)
      ctx.addIssue({ code: 'custom', path: ['lines'], message: 'a line appears more than once' });
    if (d.eventDate > shanghaiDateOf(new Date()))
      ctx.addIssue({ code: 'custom', path: ['eventDate'], message: 'must not be in the future' });
  });
export type DeclareDisaster = z.infer<typeof DeclareDisasterSchema>;

export interface DisasterEvent extends DeclareDisaster {
  eventId: string;
  declaredBy: { userId: string; role: string; name?: string };
  /** The declarer's jurisdiction: the event is seen by it and the areas inside it. */
  jurisdiction: string;
  declaredAt: string;
}

/** One household's loss in the event, as the village enters it. */
export const LossEntrySchema = z.discriminatedUnion('line', [
  z.strictObject({
    line: z.literal('crop'),
    householdId: HouseholdIdSchema,
    /** The insured member (default: the head of the household). */
    memberId: MemberIdSchema.optional(),
    item: z.string().regex(/^[a-z_]{2,40}$/),
    units: z.number().positive().max(1_000_000),
    lossRatioBp: z.number().int().min(1).max(10_000),
    description: z.string().max(500).optional(),
    documents: z.array(ClaimDocumentSchema).max(50).default([]),
  }),
  z.strictObject({
    line: z.literal('property'),
    householdId: HouseholdIdSchema,
    memberId: MemberIdSchema.optional(),
    assessedLossFen: FenSchema,
    description: z.string().max(500).optional(),
    documents: z.array(ClaimDocumentSchema).max(50).default([]),
  }),
]);
export type LossEntry = z.infer<typeof LossEntrySchema>;

export const EnterLossesSchema = z.strictObject({
  entries: z.array(LossEntrySchema).min(1).max(5_000),
});

/** The claim a loss entry becomes: an ordinary claim on the event's date, reported today. */
export function claimInputFor(event: DisasterEvent, entry: LossEntry, memberId: string, reportDate: LocalDate): ClaimInput {
  const description = entry.description ?? `${event.name}（${DISASTER_LABELS[event.type].zh}）`;
  const loss =
    entry.line === 'crop'
      ? {
          line: 'crop' as const,
          item: entry.item,
          units: entry.units,
          lossRatioBp: entry.lossRatioBp,
          cause: 'natural_disaster' as const,
          description,
        }
      : { line: 'property' as const, cause: PROPERTY_CAUSE[event.type], assessedLossFen: entry.assessedLossFen, description };
  return {
    householdId: entry.householdId,
    memberId,
    line: entry.line,
    eventDate: event.eventDate,
    reportDate,
    loss,
    documents: entry.documents,
  };
}

/** An entry's key in its event: one claim per household and line. */
export const entryKey = (eventId: string, entry: Pick<LossEntry, 'householdId' | 'line'>) =>
  `${eventId}:${entry.householdId}:${entry.line}`;
