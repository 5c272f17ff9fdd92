/**
 * The stable vocabularies of the domain, each with its Chinese and English label. Codes are API and storage values:
 * never rename one, add a new one.
 */
export const LINES = ['crop', 'health', 'accident', 'property', 'education'] as const;
export type Line = (typeof LINES)[number];
export const MANDATORY_LINES: readonly Line[] = ['crop', 'health', 'accident'];

export const LINE_LABELS: Record<Line, { zh: string; en: string }> = {
  crop: { zh: '特色农产品', en: 'specialty farm produce' },
  health: { zh: '健康保险', en: 'health' },
  accident: { zh: '意外伤害', en: 'accidental injury' },
  property: { zh: '家庭财产', en: 'household property' },
  education: { zh: '教育升学', en: 'education and enrollment' },
};

export const CATEGORIES = [
  'poverty_alleviated',
  'monitored_unstable',
  'monitored_marginal',
  'monitored_sudden_hardship',
  'ordinary',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const INSURED_CATEGORIES: readonly Category[] = [
  'poverty_alleviated',
  'monitored_unstable',
  'monitored_marginal',
  'monitored_sudden_hardship',
];

export const CATEGORY_LABELS: Record<Category, { zh: string; en: string }> = {
  poverty_alleviated: { zh: '脱贫户', en: 'poverty-alleviated household' },
  monitored_unstable: { zh: '脱贫不稳定户', en: 'monitored: unstable after poverty alleviation' },
  monitored_marginal: { zh: '边缘易致贫户', en: 'monitored: marginal, at risk of poverty' },
  monitored_sudden_hardship: { zh: '突发严重困难户', en: 'monitored: sudden severe hardship' },
  ordinary: { zh: '一般农户', en: 'ordinary household' },
};

export const DOCUMENT_KINDS = [
  'id_card',
  'household_register',
  'payout_account',
  'invoice',
  'settlement_sheet',
  'discharge_summary',
  'photo',
  'loss_list',
  'police_certificate',
  'death_certificate',
  'disability_appraisal',
  'admission_letter',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_LABELS: Record<DocumentKind, { zh: string; en: string }> = {
  id_card: { zh: '身份证', en: 'ID card' },
  household_register: { zh: '户口簿', en: 'household register' },
  payout_account: { zh: '收款账户（社保卡/一卡通）', en: 'payout account (social-security card)' },
  invoice: { zh: '医疗费用发票', en: 'medical invoices' },
  settlement_sheet: { zh: '医保结算单', en: 'medical-insurance settlement sheet' },
  discharge_summary: { zh: '出院小结', en: 'discharge summary' },
  photo: { zh: '现场照片', en: 'photos of the loss' },
  loss_list: { zh: '损失清单', en: 'list of losses' },
  police_certificate: { zh: '公安/交警证明', en: 'police or traffic certificate' },
  death_certificate: { zh: '死亡证明', en: 'death certificate' },
  disability_appraisal: { zh: '伤残鉴定书', en: 'disability appraisal' },
  admission_letter: { zh: '录取通知书', en: 'admission letter' },
  other: { zh: '其他材料', en: 'other documents' },
};

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

/** A member's relation to the head of the household, as the household register writes it (与户主关系). */
export const RELATION_LABELS: Record<Relation, { zh: string; en: string }> = {
  head: { zh: '户主', en: 'head' },
  spouse: { zh: '配偶', en: 'spouse' },
  child: { zh: '子女', en: 'child' },
  parent: { zh: '父母', en: 'parent' },
  grandchild: { zh: '孙子女', en: 'grandchild' },
  grandparent: { zh: '祖父母', en: 'grandparent' },
  sibling: { zh: '兄弟姐妹', en: 'sibling' },
  other: { zh: '其他', en: 'other' },
};

/**
 * A member's labour capacity as the monitoring system records it (劳动技能). A household with no member able to work
 * (整户无劳动能力) is not cleared of risk (domain.md, "Monitoring procedure").
 */
export const LABOUR_CAPACITIES = ['skilled', 'ordinary', 'weak', 'lost', 'none'] as const;
export type LabourCapacity = (typeof LABOUR_CAPACITIES)[number];
export const LABOUR_LABELS: Record<LabourCapacity, { zh: string; en: string }> = {
  skilled: { zh: '技能劳动力', en: 'skilled labour' },
  ordinary: { zh: '普通劳动力', en: 'ordinary labour' },
  weak: { zh: '弱劳动力或半劳动力', en: 'weak or part labour' },
  lost: { zh: '丧失劳动力', en: 'lost labour capacity' },
  none: { zh: '无劳动力', en: 'no labour capacity' },
};
/** The capacities that count as able to work. */
export const ABLE_TO_WORK: readonly LabourCapacity[] = ['skilled', 'ordinary', 'weak'];

/** The early-warning rules a paid claim can trip (`early-warning.ts` holds their thresholds). */
export const WARNING_RULES = ['LARGE_PAYOUT', 'MEDICAL_BURDEN', 'SEVERE_ACCIDENT', 'TOTAL_LOSS', 'FREQUENT_CLAIMS'] as const;
export type WarningRule = (typeof WARNING_RULES)[number];

export const WARNING_RULE_LABELS: Record<WarningRule, { zh: string; en: string }> = {
  LARGE_PAYOUT: { zh: '大额赔付', en: 'large payout' },
  MEDICAL_BURDEN: { zh: '医疗自付负担重', en: 'heavy out-of-pocket medical cost' },
  SEVERE_ACCIDENT: { zh: '劳动力死亡或重度伤残', en: 'death or severe disability of a working-age member' },
  TOTAL_LOSS: { zh: '种养业或家庭财产重大损失', en: 'total crop or major property loss' },
  FREQUENT_CLAIMS: { zh: '短期内多次出险', en: 'several claims in a short period' },
};
