/**
 * What a change to a household record touches, and what it means for the household's open claims. Pure.
 *
 * Changes that decide who is insured, in which category and where the money goes need a second person's approval
 * before they apply (like claims): the category history, a member removed, left or died, the payout account, the
 * village. Everything else (enrollments, a member joining, names of contacts) applies at once. Either way the change is
 * kept as a dated, attributed version.
 */
import type { Warning } from './assessment';
import { CATEGORY_LABELS } from './codes';
import { categoryOn, mapPersonalNumbers, type Household } from './household';
import { maskTail } from './masking';

export const SENSITIVE_CHANGES = [
  'category',
  'member_removed',
  'member_left',
  'member_died',
  'payout_account',
  'division',
] as const;
export type SensitiveChange = (typeof SENSITIVE_CHANGES)[number];

export const SENSITIVE_CHANGE_LABELS: Record<SensitiveChange, { zh: string; en: string }> = {
  category: { zh: '户类别变更', en: 'category history changed' },
  member_removed: { zh: '删除家庭成员', en: 'a member removed' },
  member_left: { zh: '家庭成员迁出', en: 'a member left the household' },
  member_died: { zh: '登记家庭成员死亡', en: 'a member recorded as deceased' },
  payout_account: { zh: '收款账户变更', en: 'payout account changed' },
  division: { zh: '所属村变更', en: 'village changed' },
};

const FIELDS = ['divisionCode', 'members', 'categoryHistory', 'enrollments', 'payoutAccount', 'assistanceContact'] as const;
type Field = (typeof FIELDS)[number];

export interface HouseholdDiff {
  fields: Field[];
  sensitive: SensitiveChange[];
  /** The changed fields before and after, personal numbers masked (for the trace). */
  before: Partial<Household>;
  after: Partial<Household>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function diffHouseholds(before: Household | null, after: Household): HouseholdDiff {
  const fields = FIELDS.filter((f) => !same(before?.[f], after[f]));
  const sensitive = new Set<SensitiveChange>();
  if (before) {
    if (!same(before.categoryHistory, after.categoryHistory)) sensitive.add('category');
    if (!same(before.payoutAccount, after.payoutAccount)) sensitive.add('payout_account');
    if (before.divisionCode !== after.divisionCode) sensitive.add('division');
    for (const was of before.members) {
      const now = after.members.find((m) => m.memberId === was.memberId);
      if (!now) sensitive.add('member_removed');
      else {
        if (now.leftOn !== was.leftOn) sensitive.add('member_left');
        if (now.deceasedOn !== was.deceasedOn) sensitive.add('member_died');
      }
    }
  }
  const masked = (h: Household | null) => {
    if (!h) return {};
    const m = mapPersonalNumbers(h, (v) => maskTail(v));
    return Object.fromEntries(fields.map((f) => [f, m[f]])) as Partial<Household>;
  };
  return { fields, sensitive: SENSITIVE_CHANGES.filter((s) => sensitive.has(s)), before: masked(before), after: masked(after) };
}

/**
 * What an applied change means for one open claim of the household, for its next reviewer: its member left, was
 * removed or died, or the household's category on its event date changed. Nothing, for changes that do not matter to it.
 */
export function warningsForClaim(
  { before, after }: Pick<HouseholdDiff, 'before' | 'after'>,
  claim: { memberId: string; eventDate: string },
): Warning[] {
  const warnings: Warning[] = [];
  if (before.members && after.members) warnings.push(...memberWarnings(before.members, after.members, claim));
  if (before.categoryHistory && after.categoryHistory) {
    const from = categoryOn({ categoryHistory: before.categoryHistory }, claim.eventDate);
    const to = categoryOn({ categoryHistory: after.categoryHistory }, claim.eventDate);
    if (from !== to) {
      const label = (c: typeof from, lang: 'zh' | 'en') => (c ? CATEGORY_LABELS[c][lang] : lang === 'zh' ? '无' : 'none');
      warnings.push({
        code: 'CATEGORY_CHANGED_ON_EVENT_DATE',
        zh: `立案后该户在出险日的类别由“${label(from, 'zh')}”改为“${label(to, 'zh')}”，请核实资格`,
        en: `after filing the household's category on the event date changed from ${label(from, 'en')} to ${label(to, 'en')}: verify eligibility`,
      });
    }
  }
  return warnings;
}

function memberWarnings(
  before: Household['members'],
  after: Household['members'],
  claim: { memberId: string; eventDate: string },
): Warning[] {
  const warnings: Warning[] = [];
  const was = before.find((m) => m.memberId === claim.memberId);
  const now = after.find((m) => m.memberId === claim.memberId);
  if (was && !now)
    warnings.push({
      code: 'MEMBER_REMOVED_AFTER_FILING',
      zh: '立案后被保险人已从该户登记中删除，请核实',
      en: 'the insured was removed from the household record after filing: verify',
    });
  if (now?.leftOn && now.leftOn !== was?.leftOn)
    warnings.push({
      code: 'MEMBER_LEFT_AFTER_FILING',
      zh: `立案后登记被保险人于${now.leftOn}迁出该户${now.leftOn < claim.eventDate ? '（早于出险日）' : ''}，请核实`,
      en: `after filing the insured was recorded as having left the household on ${now.leftOn}${now.leftOn < claim.eventDate ? ' (before the event)' : ''}: verify`,
    });
  if (now?.deceasedOn && now.deceasedOn !== was?.deceasedOn)
    warnings.push({
      code: 'MEMBER_DIED_AFTER_FILING',
      zh: `立案后登记被保险人于${now.deceasedOn}身故${now.deceasedOn < claim.eventDate ? '（早于出险日）' : '，赔款应付继承人'}，请核实`,
      en: `after filing the insured was recorded as deceased on ${now.deceasedOn}${now.deceasedOn < claim.eventDate ? ' (before the event)' : ': heirs are to be paid'}: verify`,
    });
  return warnings;
}
