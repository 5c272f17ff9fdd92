/**
 * Households: the insured unit. Members are the insured persons; the category history is dated, so a claim can use
 * the category valid on its event date; enrollments say which lines were bought for which policy year.
 */
import { z } from 'zod';
import { CATEGORIES, LABOUR_CAPACITIES, LINES, RELATIONS } from './codes';
import { shanghaiDateOf } from './dates';
import { validateResidentId } from './resident-id';
import { LocalDateSchema, VillageCodeSchema } from './value-schemas';

export { categoryOn, hasLabourCapacity, membersOn } from './household-on-date';

export const HouseholdIdSchema = z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, 'must be 4–64 letters, digits, _ or -');
export const MemberIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -');

/** A resident ID, normalized to 18 characters (15-digit numbers converted, lowercase x upper-cased). */
export const ResidentIdSchema = z.string().transform((value, ctx) => {
  const result = validateResidentId(value, shanghaiDateOf(new Date()));
  if (!result.valid) {
    ctx.addIssue({ code: 'custom', message: `invalid resident ID: ${result.message}` });
    return z.NEVER;
  }
  return result.normalized;
});

export const PersonNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[\p{Script=Han}A-Za-z·.\s]+$/u, 'must contain only Chinese characters, letters, · or spaces');

/** True when the digits pass the Luhn check (a warning only: some social-security cards do not use it). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export const CardNumberSchema = z.string().regex(/^\d{16,19}$/, 'must be 16–19 digits');

export const MemberSchema = z
  .strictObject({
    memberId: MemberIdSchema,
    name: PersonNameSchema,
    residentId: ResidentIdSchema,
    relation: z.enum(RELATIONS),
    /** Joined the household (birth, marriage, move); absent: a member since registration. */
    joinedOn: LocalDateSchema.optional(),
    /** Left the household (moved out, married out): kept on the record, insured no more after this date. */
    leftOn: LocalDateSchema.optional(),
    deceasedOn: LocalDateSchema.optional(),
    /** 劳动技能, as recorded at the household's last verification; absent: not recorded. */
    labour: z.enum(LABOUR_CAPACITIES).optional(),
  })
  .refine((m) => !m.joinedOn || !m.leftOn || m.leftOn >= m.joinedOn, {
    message: 'leftOn must not be before joinedOn',
    path: ['leftOn'],
  });

export const CategoryPeriodSchema = z
  .strictObject({
    category: z.enum(CATEGORIES),
    from: LocalDateSchema,
    /** Inclusive; absent while the period is current. */
    to: LocalDateSchema.optional(),
    /** e.g. 纳入监测 inclusion, 风险消除 risk elimination. */
    reason: z.string().max(200).optional(),
  })
  .refine((p) => p.to === undefined || p.to >= p.from, { message: 'to must not be before from', path: ['to'] });

export const EnrollmentSchema = z.strictObject({
  policyYear: z.number().int().min(2016).max(2100),
  line: z.enum(LINES),
  enrolledOn: LocalDateSchema,
});

export const PayoutAccountSchema = z.strictObject({
  kind: z.enum(['social_security_card', 'one_card']),
  cardNumber: CardNumberSchema,
  bankName: z.string().min(1).max(60),
  holderName: PersonNameSchema,
  holderResidentId: ResidentIdSchema,
});

export const AssistanceContactSchema = z.strictObject({
  name: PersonNameSchema,
  phone: z.string().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mobile number'),
  unit: z.string().max(80).optional(),
});

export const HouseholdSchema = z
  .strictObject({
    householdId: HouseholdIdSchema,
    divisionCode: VillageCodeSchema,
    members: z.array(MemberSchema).min(1, 'a household has at least one member').max(30),
    categoryHistory: z.array(CategoryPeriodSchema).min(1, 'at least one category period is required').max(50),
    enrollments: z.array(EnrollmentSchema).max(500),
    payoutAccount: PayoutAccountSchema,
    assistanceContact: AssistanceContactSchema.optional(),
  })
  .superRefine((h, ctx) => {
    const heads = h.members.filter((m) => m.relation === 'head').length;
    if (heads !== 1) ctx.addIssue({ code: 'custom', path: ['members'], message: `must have exactly one head (found ${heads})` });
    duplicatesOf(h.members.map((m) => m.memberId)).forEach((id) =>
      ctx.addIssue({ code: 'custom', path: ['members'], message: `memberId ${id} appears more than once` }),
    );
    duplicatesOf(h.members.map((m) => m.residentId)).forEach(() =>
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'a resident ID appears more than once' }),
    );
    const periods = [...h.categoryHistory].sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 1; i < periods.length; i++) {
      const prev = periods[i - 1]!;
      if (prev.to === undefined || prev.to >= periods[i]!.from) {
        ctx.addIssue({ code: 'custom', path: ['categoryHistory'], message: `periods overlap at ${periods[i]!.from}` });
      }
    }
    duplicatesOf(h.enrollments.map((e) => `${e.policyYear}/${e.line}`)).forEach((key) =>
      ctx.addIssue({ code: 'custom', path: ['enrollments'], message: `enrollment ${key} appears more than once` }),
    );
    const holder = h.members.find((m) => m.residentId === h.payoutAccount.holderResidentId);
    if (!holder || holder.name !== h.payoutAccount.holderName) {
      ctx.addIssue({
        code: 'custom',
        path: ['payoutAccount', 'holderResidentId'],
        message: "the account holder's name and resident ID must match a member of the household",
      });
    }
  });

export type Household = z.infer<typeof HouseholdSchema>;
export type Member = z.infer<typeof MemberSchema>;
export type CategoryPeriod = z.infer<typeof CategoryPeriodSchema>;
export type Enrollment = z.infer<typeof EnrollmentSchema>;
export type PayoutAccount = z.infer<typeof PayoutAccountSchema>;

/** The household with every resident ID, card number and phone number passed through `f` (mask, encrypt, decrypt). */
export function mapPersonalNumbers(h: Household, f: (value: string) => string): Household {
  return {
    ...h,
    members: h.members.map((m) => ({ ...m, residentId: f(m.residentId) })),
    payoutAccount: {
      ...h.payoutAccount,
      cardNumber: f(h.payoutAccount.cardNumber),
      holderResidentId: f(h.payoutAccount.holderResidentId),
    },
    ...(h.assistanceContact ? { assistanceContact: { ...h.assistanceContact, phone: f(h.assistanceContact.phone) } } : {}),
  };
}

function duplicatesOf(values: string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const v of values) (seen.has(v) ? dups : seen).add(v);
  return [...dups];
}
