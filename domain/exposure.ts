/**
 * The exposure ledger's rules: which caps a claim draws on, and how much of a cap one claim may hold. Pure, so the
 * workflow, the assessment and the unit tests share them; the repository (db/repositories/exposure.ts) applies them
 * with atomic conditional writes.
 *
 * A cap is one bucket of money per household (or member), line and policy year: a per-person or per-household annual
 * cap, the accident sum insured (death and disability together), the accident medical sub-limit, or the education
 * benefit of one student's admission year. Each claim holds a part of every bucket it draws on: `heldFen` counts against
 * the cap (reserved at county approval, adjusted by the insurer's decision, released when the claim closes), and
 * `paidFen` is the part of it the bank confirmed. The sum of the held parts never exceeds the bucket's limit.
 */
import type { ClaimInput } from './claim';
import type { Line } from './codes';
import { formatYuan, type Fen } from './money';
import type { LineRule } from './product';

export const CAP_KINDS = ['annual_person', 'annual_household', 'sum_insured', 'medical_sublimit', 'admission'] as const;
export type CapKind = (typeof CAP_KINDS)[number];

/** One cap a claim draws on, as the claim sees it. */
export interface ExposureCap {
  /** Household, policy year, line, cap and (for member caps) member: one document in the ledger. */
  bucketId: string;
  householdId: string;
  memberId?: string;
  policyYear: number;
  line: Line;
  insurerId: string;
  kind: CapKind;
  /** The most all claims of the bucket may hold together, as far as this claim is concerned. */
  limitFen: Fen;
  zh: string;
  en: string;
}

export interface ExposurePart {
  claimNo: string;
  /** Counts against the cap: reserved and not yet paid, plus paid. */
  heldFen: Fen;
  /** Confirmed by the bank (part of heldFen). */
  paidFen: Fen;
  /** The insurer's approved total, once it decided. */
  approvedFen?: Fen;
  at: string;
}

/** The caps of a claim under its line's rule, in a fixed order (the ledger reserves them in this order). */
export function capsFor(
  rule: LineRule,
  claim: Pick<ClaimInput, 'householdId' | 'memberId' | 'loss'>,
  policyYear: number,
): ExposureCap[] {
  const base = { householdId: claim.householdId, policyYear, line: rule.line, insurerId: rule.insurerId };
  const id = (kind: string, member?: string) =>
    [claim.householdId, policyYear, rule.line, kind, ...(member ? [member] : [])].join('|');
  const caps: ExposureCap[] = [];
  if (rule.annualCap) {
    const person = rule.annualCap.scope === 'person';
    caps.push({
      ...base,
      ...(person ? { memberId: claim.memberId } : {}),
      bucketId: id(person ? 'annual_person' : 'annual_household', person ? claim.memberId : undefined),
      kind: person ? 'annual_person' : 'annual_household',
      limitFen: rule.annualCap.limitFen,
      zh: `${policyYear}年度${person ? '每人' : '每户'}限额${formatYuan(rule.annualCap.limitFen)}`,
      en: `${policyYear} annual cap ${person ? 'per person' : 'per household'} ${formatYuan(rule.annualCap.limitFen)}`,
    });
  }
  const loss = claim.loss;
  if (rule.line === 'accident' && loss.line === 'accident') {
    if (loss.kind === 'medical') {
      caps.push({
        ...base,
        memberId: claim.memberId,
        bucketId: id('medical_sublimit', claim.memberId),
        kind: 'medical_sublimit',
        limitFen: rule.medical.annualLimitFen,
        zh: `${policyYear}年度意外医疗分项限额${formatYuan(rule.medical.annualLimitFen)}`,
        en: `${policyYear} accident medical sub-limit ${formatYuan(rule.medical.annualLimitFen)}`,
      });
    } else {
      caps.push({
        ...base,
        memberId: claim.memberId,
        bucketId: id('sum_insured', claim.memberId),
        kind: 'sum_insured',
        limitFen: rule.sumInsuredFen,
        zh: `意外身故与伤残保险金额${formatYuan(rule.sumInsuredFen)}`,
        en: `accident death and disability sum insured ${formatYuan(rule.sumInsuredFen)}`,
      });
    }
  }
  const householdCapCovers =
    rule.annualCap?.scope === 'household' && rule.line === 'property' && rule.annualCap.limitFen <= rule.sumInsuredFen;
  if (rule.line === 'property' && !householdCapCovers) {
    caps.push({
      ...base,
      bucketId: id('sum_insured'),
      kind: 'sum_insured',
      limitFen: rule.sumInsuredFen,
      zh: `${policyYear}年度家庭财产保险金额${formatYuan(rule.sumInsuredFen)}`,
      en: `${policyYear} household property sum insured ${formatYuan(rule.sumInsuredFen)}`,
    });
  }
  if (rule.line === 'education' && loss.line === 'education') {
    // one benefit per student and admission year, the highest level wins: this claim may bring the bucket up to its level
    const benefit = rule.benefitsFen[loss.level] ?? 0;
    caps.push({
      ...base,
      memberId: claim.memberId,
      bucketId: id(`admission:${loss.admissionYear}`, claim.memberId),
      kind: 'admission',
      limitFen: benefit,
      zh: `${loss.admissionYear}年录取定额给付（就高）${formatYuan(benefit)}`,
      en: `${loss.admissionYear} admission benefit (highest level) ${formatYuan(benefit)}`,
    });
  }
  return caps;
}

/** What a claim asks of one bucket: hold up to `wantHeldFen`, with `paidFen` of it confirmed. */
export interface PartRequest {
  claimNo: string;
  wantHeldFen: Fen;
  paidFen: Fen;
  approvedFen?: Fen;
  at: string;
}

/**
 * The claim's new part of a bucket: as much of what it wants as the cap leaves after the other claims' parts, never
 * less than it was paid (money out is out). Returns the parts with the claim's replaced, and what it now holds.
 */
export function settlePart(
  parts: readonly ExposurePart[],
  limitFen: Fen,
  request: PartRequest,
): { parts: ExposurePart[]; heldFen: Fen; othersFen: Fen; changed: boolean } {
  const others = parts.filter((p) => p.claimNo !== request.claimNo);
  const mine = parts.find((p) => p.claimNo === request.claimNo);
  const othersFen = others.reduce((sum, p) => sum + p.heldFen, 0);
  const room = Math.max(0, limitFen - othersFen);
  const heldFen = Math.max(request.paidFen, Math.min(request.wantHeldFen, room));
  const approvedFen = request.approvedFen ?? mine?.approvedFen;
  const next: ExposurePart = {
    claimNo: request.claimNo,
    heldFen,
    paidFen: request.paidFen,
    ...(approvedFen !== undefined ? { approvedFen } : {}),
    at: request.at,
  };
  const changed =
    !mine || mine.heldFen !== next.heldFen || mine.paidFen !== next.paidFen || mine.approvedFen !== next.approvedFen;
  return { parts: changed ? [...others, next] : [...parts], heldFen, othersFen, changed };
}

/** Totals of a bucket's parts. */
export function totalsOf(parts: readonly ExposurePart[]): { heldFen: Fen; paidFen: Fen } {
  return parts.reduce((t, p) => ({ heldFen: t.heldFen + p.heldFen, paidFen: t.paidFen + p.paidFen }), { heldFen: 0, paidFen: 0 });
}
