/**
 * The "3+2" product, versioned per policy year: each line has its own insurer, policy period and rules.
 * Loaded from a configuration file validated here; an invalid file is rejected at load with every bad field named.
 */
import { z } from 'zod';
import { CATEGORIES, DOCUMENT_KINDS, INSURED_CATEGORIES, LINES, MANDATORY_LINES, type Line } from './codes';
import { isWithin, type LocalDate } from './dates';
import { BasisPointsSchema, FenSchema, LocalDateSchema } from './value-schemas';

export const PolicyPeriodSchema = z
  .strictObject({ start: LocalDateSchema, end: LocalDateSchema })
  .refine((p) => p.end >= p.start, { message: 'end must not be before start', path: ['end'] });

const CapSchema = z.strictObject({ scope: z.enum(['person', 'household']), limitFen: FenSchema });

const lineBase = {
  insurerId: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be a lowercase insurer id'),
  period: PolicyPeriodSchema,
  waitingPeriodDays: z.number().int().min(0).max(365).default(0),
  eligibleCategories: z
    .array(z.enum(CATEGORIES))
    .min(1)
    .default([...INSURED_CATEGORIES]),
  /** Checked before village review: a claim missing any of them is returned for them. */
  requiredDocuments: z.array(z.enum(DOCUMENT_KINDS)).default([]),
  /** Days after the event within which a loss should be reported; a later report raises a warning (not a rejection). */
  reportWithinDays: z.number().int().min(1).max(3650).optional(),
  /** Cause codes that are never covered (e.g. crop `flood_storage` 政府行蓄洪). */
  exclusions: z.array(z.string().min(1)).default([]),
  annualCap: CapSchema.optional(),
};

export const CropItemSchema = z.strictObject({
  code: z.string().regex(/^[a-z_]{2,40}$/),
  name: z.string().min(1),
  kind: z.enum(['crop', 'livestock']),
  unit: z.string().min(1),
  sumPerUnitFen: FenSchema,
});

export const CropRuleSchema = z
  .strictObject({
    ...lineBase,
    line: z.literal('crop'),
    items: z.array(CropItemSchema).min(1),
    /** Loss ratio bands: below `noPayBelowBp` nothing; at or above `totalLossFromBp` a total loss; between, proportional. */
    noPayBelowBp: BasisPointsSchema,
    totalLossFromBp: BasisPointsSchema,
    deductibleFen: FenSchema.default(0),
    /** Livestock observation (waiting) period after enrollment. */
    livestockObservationDays: z.number().int().min(0).max(365).default(0),
  })
  .refine((r) => r.noPayBelowBp <= r.totalLossFromBp, {
    message: 'noPayBelowBp must not exceed totalLossFromBp',
    path: ['noPayBelowBp'],
  });

export const TierSchema = z.strictObject({ fromFen: FenSchema, toFen: FenSchema.nullable(), rateBp: BasisPointsSchema });

export const HealthRuleSchema = z
  .strictObject({
    ...lineBase,
    line: z.literal('health'),
    deductibleFen: FenSchema,
    /** 分段累进: progressive tiers over the compliant base; contiguous, starting at the deductible, the last open. */
    tiers: z.array(TierSchema).min(1),
    perEventCapFen: FenSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const first = r.tiers[0];
    if (first && first.fromFen !== r.deductibleFen) {
      ctx.addIssue({ code: 'custom', path: ['tiers', 0, 'fromFen'], message: 'the first tier must start at the deductible' });
    }
    r.tiers.forEach((tier, i) => {
      const next = r.tiers[i + 1];
      if (next === undefined) {
        if (tier.toFen !== null)
          ctx.addIssue({ code: 'custom', path: ['tiers', i, 'toFen'], message: 'the last tier must be open (null)' });
      } else if (tier.toFen === null || tier.toFen !== next.fromFen) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'toFen'],
          message: 'tiers must be contiguous: toFen equals the next fromFen',
        });
      } else if (tier.toFen <= tier.fromFen) {
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'toFen'], message: 'toFen must be above fromFen' });
      }
    });
  });

export const AccidentRuleSchema = z.strictObject({
  ...lineBase,
  line: z.literal('accident'),
  /** Per person per policy year; death and disability together never exceed it. */
  sumInsuredFen: FenSchema,
  /** Grade 1 … grade 10 as a share of the sum insured. */
  disabilityRatesBp: z.array(BasisPointsSchema).length(10, 'must list 10 grades (grade 1 first)'),
  medical: z.strictObject({ deductibleFen: FenSchema, rateBp: BasisPointsSchema, annualLimitFen: FenSchema }),
});

export const PropertyRuleSchema = z.strictObject({
  ...lineBase,
  line: z.literal('property'),
  deductibleFen: FenSchema,
  /** First-loss basis: pays the loss up to this, no average clause. */
  sumInsuredFen: FenSchema,
});

export const ADMISSION_LEVELS = ['senior_high', 'junior_college', 'bachelor'] as const;
export type AdmissionLevel = (typeof ADMISSION_LEVELS)[number];

export const EducationRuleSchema = z.strictObject({
  ...lineBase,
  line: z.literal('education'),
  /** Fixed benefit per admission level; a level that is absent is not covered. One benefit per student per admission year. */
  benefitsFen: z.partialRecord(z.enum(ADMISSION_LEVELS), FenSchema),
});

export const LineRuleSchema = z.discriminatedUnion('line', [
  CropRuleSchema,
  HealthRuleSchema,
  AccidentRuleSchema,
  PropertyRuleSchema,
  EducationRuleSchema,
]);

export const ProductSchema = z
  .strictObject({
    productId: z.string().regex(/^[a-z0-9-]{3,60}$/),
    name: z.string().min(1),
    countyCode: z.string().regex(/^\d{6}$/),
    policyYear: z.number().int().min(2016).max(2100),
    /** True when the numbers are illustrative defaults, not a signed policy. */
    illustrative: z.boolean(),
    /** What the printed public notice (公示名单) says about who issues it and how to object. */
    notice: z
      .strictObject({
        issuer: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
        /** The county's objection line (an office number, printed on every notice). */
        objectionLine: z.string().regex(/^[0-9-]{7,20}$/),
        howToObject: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
      })
      .optional(),
    lines: z.strictObject({
      crop: CropRuleSchema.optional(),
      health: HealthRuleSchema.optional(),
      accident: AccidentRuleSchema.optional(),
      property: PropertyRuleSchema.optional(),
      education: EducationRuleSchema.optional(),
    }),
  })
  .superRefine((p, ctx) => {
    for (const line of MANDATORY_LINES) {
      if (!p.lines[line]) ctx.addIssue({ code: 'custom', path: ['lines', line], message: `mandatory line ${line} is missing` });
    }
    for (const line of LINES) {
      const rule = p.lines[line];
      if (rule && rule.line !== line)
        ctx.addIssue({ code: 'custom', path: ['lines', line, 'line'], message: `must be '${line}'` });
    }
  });

export type Product = z.infer<typeof ProductSchema>;
export type LineRule = z.infer<typeof LineRuleSchema>;
export type CropRule = z.infer<typeof CropRuleSchema>;
export type HealthRule = z.infer<typeof HealthRuleSchema>;
export type AccidentRule = z.infer<typeof AccidentRuleSchema>;
export type PropertyRule = z.infer<typeof PropertyRuleSchema>;
export type EducationRule = z.infer<typeof EducationRuleSchema>;
export type RuleOf<L extends Line> = Extract<LineRule, { line: L }>;

export class ProductConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid product configuration in ${source}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ProductConfigError';
  }
}

/** Validates a product configuration (parsed JSON); throws naming every bad field. */
export function loadProduct(config: unknown, source = 'product configuration'): Product {
  const parsed = ProductSchema.safeParse(config);
  if (!parsed.success) {
    throw new ProductConfigError(
      source,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
    );
  }
  return parsed.data;
}

/** A product's rule for one line, typed by the line. */
export function lineRule<L extends Line>(product: Product, line: L): RuleOf<L> | undefined {
  return product.lines[line] as RuleOf<L> | undefined;
}

/** The rule version that covers an event: the product whose period for that line contains the event date. */
export function ruleFor<L extends Line>(
  products: readonly Product[],
  line: L,
  eventDate: LocalDate,
): { product: Product; rule: RuleOf<L> } | undefined {
  for (const product of products) {
    const rule = lineRule(product, line);
    if (rule && isWithin(eventDate, rule.period.start, rule.period.end)) return { product, rule };
  }
  return undefined;
}
