/**
 * Why a claim is not payable: each reason's stable code and its words in Chinese and English. Free of zod, like
 * everything workflow code imports (see `value-schemas.ts`).
 */
export const REASONS = {
  EVENT_IN_FUTURE: { zh: '出险日期晚于今天', en: 'the event date is in the future' },
  REPORT_IN_FUTURE: { zh: '报案日期晚于今天', en: 'the report date is in the future' },
  REPORT_BEFORE_EVENT: { zh: '报案日期早于出险日期', en: 'the report date is before the event date' },
  HOUSEHOLD_NOT_FOUND: { zh: '未找到该户的参保登记', en: 'the household is not registered' },
  MEMBER_NOT_FOUND: { zh: '被保险人不是该户成员', en: 'the insured person is not a member of the household' },
  MEMBER_NOT_IN_HOUSEHOLD_ON_EVENT: {
    zh: '出险日被保险人不在该户（尚未迁入或已迁出）',
    en: 'on the event date the insured was not a member of the household (not yet joined, or already left)',
  },
  MEMBER_DECEASED: { zh: '被保险人在出险前已身故', en: 'the insured person died before the event date' },
  DEATH_NOT_RECORDED: {
    zh: '身故理赔须登记与出险日期一致的死亡日期',
    en: 'a death claim needs a recorded date of death equal to the event date',
  },
  NO_POLICY_PERIOD: { zh: '出险日期不在该险种任何保险期间内', en: 'no policy period of this line covers the event date' },
  NOT_ENROLLED: { zh: '该户未参保此险种（该保险年度）', en: 'the household is not enrolled in this line for the policy year' },
  EVENT_BEFORE_ENROLLMENT: { zh: '出险日期早于参保日期', en: 'the event happened before the household enrolled' },
  WAITING_PERIOD: { zh: '出险日期在等待期（观察期）内', en: 'the event happened within the waiting (observation) period' },
  CATEGORY_NOT_ELIGIBLE: { zh: '出险日该户不属于参保对象类别', en: "on the event date the household's category is not insured" },
  EXCLUDED_CAUSE: { zh: '出险原因属于责任免除', en: 'the cause of loss is excluded' },
  UNKNOWN_CROP_ITEM: { zh: '该品种不在承保目录内', en: 'the crop or livestock item is not insured by this product' },
  LEVEL_NOT_COVERED: { zh: '该录取层次不在保障范围内', en: 'this admission level is not covered' },
  ADMISSION_YEAR_MISMATCH: { zh: '录取年度与出险日期不一致', en: 'the admission year does not match the event date' },
  NOTHING_PAYABLE: {
    zh: '按保险条款测算无可赔付金额，不经公示和保险公司直接办结',
    en: 'nothing is payable under the rules: closed without notice or insurer',
  },
  CAP_EXHAUSTED: {
    zh: '保险限额已被本年度其他理赔占满，无剩余可赔金额',
    en: 'the cap is fully held by other claims of the policy year: nothing remains',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

export type ReasonCode = keyof typeof REASONS;
export interface Reason {
  code: ReasonCode;
  zh: string;
  en: string;
}

export const reason = (code: ReasonCode): Reason => ({ code, ...REASONS[code] });
