/**
 * The payout calculator: a pure function of the line's rule version, the loss and what was already approved this
 * policy year. Integer fen throughout, rounding down once per step (see money.ts). Every step that changes the amount is
 * an explanation line with a signed amount; the lines add up exactly to the payable amount. Facts (the figures the
 * steps start from) are listed separately and do not add up.
 */
import type { LossOf } from './claim';
import { applyRate, formatRate, formatYuan, mulDiv, type Fen } from './money';
import type { AccidentRule, CropRule, EducationRule, HealthRule, LineRule, PropertyRule } from './product';

export interface ExplanationLine {
  code: string;
  zh: string;
  en: string;
  amountFen: Fen;
}

export interface Fact {
  code: string;
  zh: string;
  en: string;
  valueFen: Fen;
}

export interface Calculation {
  payableFen: Fen;
  lines: ExplanationLine[];
  facts: Fact[];
}

/** What was already approved in the same policy year (all default to 0). */
export interface YearToDate {
  /** This member, this line. */
  memberFen?: Fen;
  /** The whole household, this line. */
  householdFen?: Fen;
  /** Accident: death and disability already approved for this member. */
  accidentDeathDisabilityFen?: Fen;
  /** Accident: medical already approved for this member. */
  accidentMedicalFen?: Fen;
  /** Education: already approved for this student and admission year. */
  educationSameAdmissionFen?: Fen;
}

export type CalculationInput = {
  [L in LineRule['line']]: { rule: Extract<LineRule, { line: L }>; loss: LossOf<L>; yearToDate?: YearToDate };
}[LineRule['line']];

export function calculatePayout(input: CalculationInput): Calculation {
  const ytd = input.yearToDate ?? {};
  const calc = new Steps();
  switch (input.rule.line) {
    case 'crop':
      crop(calc, input.rule, input.loss as LossOf<'crop'>);
      break;
    case 'health':
      health(calc, input.rule, input.loss as LossOf<'health'>);
      break;
    case 'accident':
      accident(calc, input.rule, input.loss as LossOf<'accident'>, ytd);
      break;
    case 'property':
      property(calc, input.rule, input.loss as LossOf<'property'>);
      break;
    case 'education':
      education(calc, input.rule, input.loss as LossOf<'education'>, ytd);
      break;
  }
  const cap = input.rule.annualCap;
  if (cap) {
    const used = cap.scope === 'person' ? (ytd.memberFen ?? 0) : (ytd.householdFen ?? 0);
    const who = cap.scope === 'person' ? { zh: '每人', en: 'per person' } : { zh: '每户', en: 'per household' };
    calc.capAt(Math.max(0, cap.limitFen - used), 'ANNUAL_CAP', {
      zh: `年度限额${who.zh}${formatYuan(cap.limitFen)}，本年度已赔${formatYuan(used)}`,
      en: `annual cap ${who.en} ${formatYuan(cap.limitFen)}, ${formatYuan(used)} already approved this policy year`,
    });
  }
  return calc.result();
}

class Steps {
  private readonly lines: ExplanationLine[] = [];
  private readonly facts: Fact[] = [];
  running = 0;

  fact(code: string, valueFen: Fen, label: { zh: string; en: string }): void {
    this.facts.push({ code, ...label, valueFen });
  }

  add(code: string, amountFen: Fen, label: { zh: string; en: string }): void {
    this.lines.push({ code, ...label, amountFen });
    this.running += amountFen;
  }

  /** Subtracts up to `amount`, never below zero; records the line only when it changes something or explains a zero. */
  deduct(code: string, amount: Fen, label: { zh: string; en: string }): void {
    const cut = Math.min(amount, this.running);
    if (cut > 0 || amount > 0) this.add(code, -cut, label);
  }

  /** Cuts the running amount down to `limit` when it is above. */
  capAt(limit: Fen, code: string, label: { zh: string; en: string }): void {
    const cut = Math.max(0, this.running - Math.max(0, limit));
    if (cut > 0) this.add(code, -cut, { zh: `${label.zh}，扣减${formatYuan(cut)}`, en: `${label.en}: cut ${formatYuan(cut)}` });
  }

  result(): Calculation {
    return { payableFen: this.running, lines: this.lines, facts: this.facts };
  }
}

function crop(calc: Steps, rule: CropRule, loss: LossOf<'crop'>): void {
  const item = rule.items.find((i) => i.code === loss.item);
  if (!item) throw new RangeError(`item ${loss.item} is not insured by this product`);
  const unitsCenti = Math.round(loss.units * 100);
  const insured = mulDiv(unitsCenti, item.sumPerUnitFen, 100);
  calc.fact('INSURED_AMOUNT', insured, {
    zh: `${item.name} ${loss.units}${item.unit} × 每${item.unit}${formatYuan(item.sumPerUnitFen)}`,
    en: `${loss.units} ${item.unit} of ${item.code} × ${formatYuan(item.sumPerUnitFen)} per ${item.unit}`,
  });
  if (loss.lossRatioBp < rule.noPayBelowBp) {
    calc.add('BELOW_LOSS_THRESHOLD', 0, {
      zh: `损失率${formatRate(loss.lossRatioBp)}低于起赔线${formatRate(rule.noPayBelowBp)}，不予赔付`,
      en: `loss ratio ${formatRate(loss.lossRatioBp)} is below the ${formatRate(rule.noPayBelowBp)} threshold: nothing payable`,
    });
    return;
  }
  if (loss.lossRatioBp >= rule.totalLossFromBp) {
    calc.add('TOTAL_LOSS', insured, {
      zh: `损失率${formatRate(loss.lossRatioBp)}达到${formatRate(rule.totalLossFromBp)}，按全损赔付保险金额`,
      en: `loss ratio ${formatRate(loss.lossRatioBp)} reaches ${formatRate(rule.totalLossFromBp)}: total loss, full insured amount`,
    });
  } else {
    calc.add('PROPORTIONAL_LOSS', applyRate(insured, loss.lossRatioBp), {
      zh: `保险金额${formatYuan(insured)} × 损失率${formatRate(loss.lossRatioBp)}`,
      en: `insured amount ${formatYuan(insured)} × loss ratio ${formatRate(loss.lossRatioBp)}`,
    });
  }
  calc.deduct('DEDUCTIBLE', rule.deductibleFen, {
    zh: `免赔额${formatYuan(rule.deductibleFen)}`,
    en: `deductible ${formatYuan(rule.deductibleFen)}`,
  });
}

function health(calc: Steps, rule: HealthRule, loss: LossOf<'health'>): void {
  const parts: [string, Fen, string, string][] = [
    ['BASIC_INSURANCE', loss.basicInsuranceFen, '基本医保报销', 'paid by basic medical insurance'],
    ['CRITICAL_ILLNESS', loss.criticalIllnessFen, '大病保险报销', 'paid by critical-illness insurance'],
    ['MEDICAL_ASSISTANCE', loss.medicalAssistanceFen, '医疗救助', 'paid by medical assistance'],
    ['OTHER_INSURANCE', loss.otherInsuranceFen, '其他保险赔付', 'paid by other insurance'],
    ['NON_COMPLIANT', loss.nonCompliantFen, '不合规费用', 'non-compliant items'],
  ];
  calc.fact('TOTAL_COST', loss.totalCostFen, { zh: '医疗总费用', en: 'total medical cost' });
  for (const [code, value, zh, en] of parts) calc.fact(code, value, { zh, en });
  const base = Math.max(0, loss.totalCostFen - parts.reduce((sum, [, v]) => sum + v, 0));
  calc.fact('COMPLIANT_BASE', base, {
    zh: '三重保障后合规自付费用',
    en: 'compliant out-of-pocket amount after the triple protection',
  });

  if (base <= rule.deductibleFen) {
    calc.add('BELOW_DEDUCTIBLE', 0, {
      zh: `合规自付${formatYuan(base)}未超过免赔额${formatYuan(rule.deductibleFen)}`,
      en: `compliant amount ${formatYuan(base)} does not exceed the deductible ${formatYuan(rule.deductibleFen)}`,
    });
  }
  rule.tiers.forEach((tier, i) => {
    const portion = Math.max(0, Math.min(base, tier.toFen ?? Number.MAX_SAFE_INTEGER) - tier.fromFen);
    if (portion === 0) return;
    const range =
      tier.toFen === null ? `${formatYuan(tier.fromFen)}以上` : `${formatYuan(tier.fromFen)}–${formatYuan(tier.toFen)}`;
    const rangeEn =
      tier.toFen === null ? `above ${formatYuan(tier.fromFen)}` : `${formatYuan(tier.fromFen)}–${formatYuan(tier.toFen)}`;
    calc.add(`TIER_${i + 1}`, applyRate(portion, tier.rateBp), {
      zh: `第${i + 1}段（${range}）${formatYuan(portion)} × ${formatRate(tier.rateBp)}`,
      en: `tier ${i + 1} (${rangeEn}): ${formatYuan(portion)} × ${formatRate(tier.rateBp)}`,
    });
  });
  if (rule.perEventCapFen !== undefined) {
    calc.capAt(rule.perEventCapFen, 'PER_EVENT_CAP', {
      zh: `单次限额${formatYuan(rule.perEventCapFen)}`,
      en: `per-event cap ${formatYuan(rule.perEventCapFen)}`,
    });
  }
}

function accident(calc: Steps, rule: AccidentRule, loss: LossOf<'accident'>, ytd: YearToDate): void {
  if (loss.kind === 'medical') {
    const { deductibleFen, rateBp, annualLimitFen } = rule.medical;
    calc.fact('MEDICAL_COST', loss.medicalCostFen, { zh: '意外医疗费用', en: 'accident medical cost' });
    const overDeductible = Math.max(0, loss.medicalCostFen - deductibleFen);
    calc.add('MEDICAL', applyRate(overDeductible, rateBp), {
      zh: `（医疗费用${formatYuan(loss.medicalCostFen)} − 免赔${formatYuan(deductibleFen)}）× ${formatRate(rateBp)}`,
      en: `(medical cost ${formatYuan(loss.medicalCostFen)} − ${formatYuan(deductibleFen)} deductible) × ${formatRate(rateBp)}`,
    });
    const used = ytd.accidentMedicalFen ?? 0;
    calc.capAt(annualLimitFen - used, 'MEDICAL_SUBLIMIT', {
      zh: `意外医疗年度分项限额${formatYuan(annualLimitFen)}，已赔${formatYuan(used)}`,
      en: `accident medical sub-limit ${formatYuan(annualLimitFen)} a year, ${formatYuan(used)} already approved`,
    });
    return;
  }
  calc.fact('SUM_INSURED', rule.sumInsuredFen, { zh: '意外身故/伤残保险金额', en: 'death and disability sum insured' });
  if (loss.kind === 'death') {
    calc.add('DEATH_BENEFIT', rule.sumInsuredFen, {
      zh: '意外身故，按保险金额给付',
      en: 'accidental death: the full sum insured',
    });
  } else {
    const rate = rule.disabilityRatesBp[loss.disabilityGrade - 1] ?? 0;
    calc.add('DISABILITY_BENEFIT', applyRate(rule.sumInsuredFen, rate), {
      zh: `${loss.disabilityGrade}级伤残：保险金额${formatYuan(rule.sumInsuredFen)} × ${formatRate(rate)}`,
      en: `disability grade ${loss.disabilityGrade}: sum insured ${formatYuan(rule.sumInsuredFen)} × ${formatRate(rate)}`,
    });
  }
  const used = ytd.accidentDeathDisabilityFen ?? 0;
  calc.capAt(rule.sumInsuredFen - used, 'SUM_INSURED_REMAINING', {
    zh: `身故与伤残合计不超过保险金额，已赔${formatYuan(used)}`,
    en: `death and disability together never exceed the sum insured; ${formatYuan(used)} already approved`,
  });
}

function property(calc: Steps, rule: PropertyRule, loss: LossOf<'property'>): void {
  calc.fact('ASSESSED_LOSS', loss.assessedLossFen, { zh: '核定损失', en: 'assessed loss' });
  calc.add('ASSESSED_LOSS', loss.assessedLossFen, {
    zh: `核定损失${formatYuan(loss.assessedLossFen)}`,
    en: `assessed loss ${formatYuan(loss.assessedLossFen)}`,
  });
  calc.deduct('DEDUCTIBLE', rule.deductibleFen, {
    zh: `免赔额${formatYuan(rule.deductibleFen)}`,
    en: `deductible ${formatYuan(rule.deductibleFen)}`,
  });
  calc.capAt(rule.sumInsuredFen, 'FIRST_LOSS_SUM_INSURED', {
    zh: `第一危险赔偿方式，以保险金额${formatYuan(rule.sumInsuredFen)}为限`,
    en: `first-loss basis, up to the sum insured ${formatYuan(rule.sumInsuredFen)}`,
  });
}

function education(calc: Steps, rule: EducationRule, loss: LossOf<'education'>, ytd: YearToDate): void {
  const benefit = rule.benefitsFen[loss.level];
  if (benefit === undefined) throw new RangeError(`admission level ${loss.level} is not covered`);
  const levels = {
    bachelor: ['本科', 'bachelor'],
    junior_college: ['专科', 'junior college'],
    senior_high: ['高中', 'senior high'],
  } as const;
  const [zh, en] = levels[loss.level];
  calc.add('ADMISSION_BENEFIT', benefit, {
    zh: `${loss.admissionYear}年${zh}录取定额给付${formatYuan(benefit)}`,
    en: `${loss.admissionYear} ${en} admission: fixed benefit ${formatYuan(benefit)}`,
  });
  const paid = ytd.educationSameAdmissionFen ?? 0;
  calc.deduct('ALREADY_PAID_SAME_ADMISSION', paid, {
    zh: `同一学生同一录取年度已给付${formatYuan(paid)}（就高给付，补足差额）`,
    en: `already paid ${formatYuan(paid)} for this student's admission year (highest tier wins: only the difference)`,
  });
}
