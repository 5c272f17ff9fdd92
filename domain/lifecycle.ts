/** The claim lifecycle's stable names: stages, final statuses and staff roles (API, storage, search attributes). */
export const STAGES = [
  'eligibility',
  'held_duplicate',
  'returned',
  'village_review',
  'public_notice',
  'township_review',
  'county_approval',
  'insurer_review',
  'documents_requested',
  'county_amount_review',
  'payout',
  'payout_bounced',
  'needs_attention',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export const STATUSES = ['open', 'paid', 'rejected', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export const STAFF_ROLES = ['village', 'township', 'county', 'ops', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const STAGE_LABELS: Record<Stage, { zh: string; en: string }> = {
  eligibility: { zh: '资格审核与数据比对', en: 'eligibility and data cross-checks' },
  held_duplicate: { zh: '疑似重复待核', en: 'held as a suspected duplicate' },
  returned: { zh: '退回补正', en: 'returned for correction' },
  village_review: { zh: '村级审核', en: 'village review' },
  public_notice: { zh: '公示期', en: 'public notice' },
  township_review: { zh: '乡镇审核', en: 'township review' },
  county_approval: { zh: '县级审批', en: 'county approval' },
  insurer_review: { zh: '保险公司核赔', en: 'insurer review' },
  documents_requested: { zh: '补充材料', en: 'documents requested' },
  county_amount_review: { zh: '核赔金额超出审批待县级复核', en: "county review of an insurer's amount above the approval" },
  payout: { zh: '赔款支付中', en: 'payout in progress' },
  payout_bounced: { zh: '支付退回待更正', en: 'payout bounced' },
  needs_attention: { zh: '异常待人工处理', en: 'needs attention' },
  closed: { zh: '已办结', en: 'closed' },
};

/** Who a claim can be waiting on, for SLA blame. */
export const PARTIES = ['system', 'village', 'township', 'county', 'insurer', 'bank', 'household'] as const;
export type Party = (typeof PARTIES)[number];

export const PARTY_LABELS: Record<Party, { zh: string; en: string }> = {
  system: { zh: '系统自动处理', en: 'the system' },
  village: { zh: '村级', en: 'the village' },
  township: { zh: '乡镇', en: 'the township' },
  county: { zh: '县级', en: 'the county' },
  insurer: { zh: '保险公司', en: 'the insurer' },
  bank: { zh: '银行', en: 'the bank' },
  household: { zh: '农户', en: 'the household' },
};
