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

export const ROLE_LABELS: Record<StaffRole, { zh: string; en: string }> = {
  village: { zh: '村级经办人', en: 'village' },
  township: { zh: '乡镇审核人', en: 'township' },
  county: { zh: '县级审批人', en: 'county' },
  ops: { zh: '运维人员', en: 'ops' },
  admin: { zh: '县级管理员', en: 'admin' },
};

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

export const STATUS_LABELS: Record<Status, { zh: string; en: string }> = {
  open: { zh: '办理中', en: 'open' },
  paid: { zh: '已赔付', en: 'paid' },
  rejected: { zh: '已驳回', en: 'rejected' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

/** What a person can do to a claim (the claim workflow's actions), as staff read them. */
export const ACTION_LABELS = {
  review: { zh: '审核通过', en: 'review' },
  approve: { zh: '批准', en: 'approve' },
  reject: { zh: '驳回', en: 'reject' },
  return: { zh: '退回', en: 'return' },
  object: { zh: '登记异议', en: 'record an objection' },
  withdraw: { zh: '撤回', en: 'withdraw' },
  resubmit: { zh: '补正后重新提交', en: 'resubmit' },
  supplyDocuments: { zh: '补充材料', en: 'supply documents' },
  correctAccount: { zh: '更正收款账户', en: 'correct the payout account' },
  approveAccount: { zh: '审核更正的账户', en: 'approve the corrected account' },
  resendToInsurer: { zh: '重新推送保险公司', en: 'resend to the insurer' },
  renotifyBank: { zh: '重新通知银行', en: 're-notify the bank' },
  resume: { zh: '恢复办理', en: 'resume' },
  reassign: { zh: '改派经办人', en: 'reassign' },
} as const satisfies Record<string, { zh: string; en: string }>;
export type ActionName = keyof typeof ACTION_LABELS;

/** The events of a claim's audit trail that are not a person's action, as staff read them. */
export const EVENT_LABELS: Record<string, { zh: string; en: string }> = {
  filed: { zh: '报案', en: 'filed' },
  eligibility_passed: { zh: '资格审核通过', en: 'eligibility passed' },
  auto_rejected: { zh: '资格审核未通过，自动驳回', en: 'rejected by the eligibility checks' },
  duplicate_suspected: { zh: '疑似重复报案，暂停待核', en: 'held as a suspected duplicate' },
  notice_started: { zh: '开始公示', en: 'public notice started' },
  notice_completed: { zh: '公示期满', en: 'public notice completed' },
  package_delivered: { zh: '理赔材料已送达保险公司', en: 'package delivered to the insurer' },
  delivery_impossible: { zh: '材料无法送达保险公司', en: 'package could not be delivered' },
  insurer_reminded: { zh: '已催办保险公司', en: 'insurer reminded' },
  sla_escalated: { zh: '超时升级', en: 'escalated as overdue' },
  insurer_approved_full: { zh: '保险公司全额核赔', en: 'insurer approved in full' },
  insurer_approved_partial: { zh: '保险公司部分核赔', en: 'insurer approved in part' },
  insurer_rejected: { zh: '保险公司拒赔', en: 'insurer rejected' },
  insurer_documents_requested: { zh: '保险公司要求补充材料', en: 'insurer requested documents' },
  documents_overdue: { zh: '补充材料超期', en: 'documents overdue' },
  documents_missing: { zh: '缺少必备材料', en: 'required documents missing' },
  insurer_amount_above_approval: { zh: '核赔金额超出县级审批', en: "insurer's amount above the approval" },
  insurer_amount_accepted: { zh: '县级接受核赔金额', en: "insurer's amount accepted" },
  exposure_reserved: { zh: '已占用保障额度', en: 'cover reserved' },
  cap_exhausted: { zh: '保障额度已用尽', en: 'cap exhausted' },
  nothing_payable: { zh: '无可赔付金额', en: 'nothing payable' },
  payout_instructed: { zh: '已发送支付指令', en: 'payout instructed' },
  payout_resent: { zh: '已重发支付指令', en: 'payout instruction re-sent' },
  referral_raised: { zh: '已转防返贫监测核查', en: 'referred for monitoring review' },
  payout_confirmed: { zh: '赔款已到账', en: 'payout confirmed' },
  payout_bounced: { zh: '支付被退回', en: 'payout bounced' },
  payout_result_mismatch: { zh: '银行回执与指令不符', en: 'bank result does not match the instruction' },
  payout_exceeds_ledger: { zh: '支付金额超出额度台账', en: 'payout exceeds the exposure ledger' },
  payout_limited_by_ledger: { zh: '支付金额按额度台账核减', en: 'payout limited by the exposure ledger' },
  payout_instruction_refused: { zh: '银行拒绝支付指令', en: 'payout instruction refused' },
  household_changed: { zh: '农户信息变更提示', en: 'household changed' },
  household_account_updated: { zh: '农户收款账户已更新', en: 'household account updated' },
};

/** A trail event or action in one language (an unknown one shows its code). */
export function eventLabel(action: string, language: 'zh' | 'en'): string {
  return (EVENT_LABELS[action] ?? (ACTION_LABELS as Record<string, { zh: string; en: string }>)[action])?.[language] ?? action;
}
