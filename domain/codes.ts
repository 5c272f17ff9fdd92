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

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];
