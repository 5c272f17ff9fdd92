/**
 * The page's language (zh-CN first, English on request) and its words. The domain's own names (stages, lines,
 * roles, documents…) come from the API's labels script, so they have one source; the rest is here.
 */
import { ref } from 'vue';

export type Lang = 'zh' | 'en';
type Bilingual = { zh: string; en: string };

export const lang = ref<Lang>(localStorage.getItem('fangpin.lang') === 'en' ? 'en' : 'zh');
export function switchLanguage(): void {
  lang.value = lang.value === 'zh' ? 'en' : 'zh';
  localStorage.setItem('fangpin.lang', lang.value);
  document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en';
}

const LABELS = (window as unknown as { FANGPIN_LABELS?: Record<string, Record<string, Bilingual>> }).FANGPIN_LABELS ?? {};

/** A domain label: label('stages', 'village_review') → 村级审核. */
export const label = (table: string, key: string | undefined): string =>
  key === undefined ? '' : (LABELS[table]?.[key]?.[lang.value] ?? key);
/** The keys of a label table (the options of a select). */
export const labelKeys = (table: string): string[] => Object.keys(LABELS[table] ?? {});
/** One of the API's bilingual texts in the page's language. */
export const say = (text: Bilingual | undefined): string => (text ? text[lang.value] : '');

const WORDS = {
  title: ['防贫保理赔工作台', 'Claims workbench'],
  username: ['用户名', 'Username'],
  password: ['密码', 'Password'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出登录', 'Sign out'],
  mustChange: [
    '这是管理员设置的临时密码，请先设置您自己的密码（至少 10 位，含字母和数字）。',
    'This is a temporary password set by an administrator: choose your own (10+ characters, letters and digits).',
  ],
  currentPassword: ['当前密码', 'Current password'],
  newPassword: ['新密码', 'New password'],
  save: ['保存', 'Save'],
  cancel: ['取消', 'Cancel'],
  myQueue: ['待我处理', 'My queue'],
  monitor: ['运行监控', 'Operations'],
  users: ['用户管理', 'Users'],
  reason: ['意见或原因', 'Comment or reason'],
  timeline: ['办理记录', 'Trail'],
  none: ['暂无待办案件', 'Nothing waits for you'],
  empty: ['暂无记录', 'None'],
  objectorName: ['异议人姓名', 'Objector’s name'],
  objectorNeeded: ['请填写异议人姓名。', 'Please give the objector’s name.'],
  member: ['出险成员', 'Member'],
  reportDate: ['报案日期', 'Report date'],
  documents: ['材料', 'Documents'],
  addDocument: ['选择文件', 'Choose a file'],
  uploading: ['正在上传…', 'Uploading…'],
  uploaded: ['已上传', 'Uploaded'],
  required: ['必需材料', 'Required documents'],
  provided: ['已提供', 'provided'],
  lacking: ['尚缺', 'missing'],
  preview: ['测算赔款', 'Preview payout'],
  fileClaim: ['提交报案', 'File the claim'],
  payable: ['测算赔款', 'Payout'],
  notEligible: ['不符合赔付条件：', 'Not eligible: '],
  missingDocuments: ['尚缺材料：', 'Documents still missing: '],
  kind: ['材料类型', 'Kind'],
  file: ['文件', 'File'],
  fileRules: ['PDF、JPEG、PNG、WebP 或 HEIC，每份不超过 10 MB', 'PDF, JPEG, PNG, WebP or HEIC, up to 10 MB each'],
  cause: ['出险原因', 'Cause'],
  assessedLossFen: ['核定损失（元）', 'Assessed loss (yuan)'],
  description: ['情况说明', 'Description'],
  admissionDate: ['入院日期', 'Admitted'],
  dischargeDate: ['出院日期', 'Discharged'],
  totalCostFen: ['医疗总费用（元）', 'Total medical cost (yuan)'],
  basicInsuranceFen: ['基本医保报销（元）', 'Basic medical insurance (yuan)'],
  criticalIllnessFen: ['大病保险报销（元）', 'Critical-illness insurance (yuan)'],
  medicalAssistanceFen: ['医疗救助（元）', 'Medical assistance (yuan)'],
  otherInsuranceFen: ['其他保险报销（元）', 'Other insurance (yuan)'],
  nonCompliantFen: ['不合规费用（元）', 'Non-compliant costs (yuan)'],
  disabilityGrade: ['伤残等级（1–10 级）', 'Disability grade (1–10)'],
  medicalCostFen: ['医疗费用（元）', 'Medical costs (yuan)'],
  item: ['作物或品种（代码，如 wheat）', 'Crop or breed (code, e.g. wheat)'],
  units: ['受灾面积或数量（亩/头）', 'Area or head affected (mu/head)'],
  lossRatioPct: ['损失率（%）', 'Loss ratio (%)'],
  level: ['录取层次', 'Admission level'],
  admissionYear: ['录取年份', 'Admission year'],
  school: ['录取学校', 'School'],
  claimNo: ['案件编号', 'Claim'],
  stage: ['环节', 'Stage'],
  line: ['险种', 'Line'],
  village: ['村', 'Village'],
  waiting: ['已等待', 'Waiting'],
  due: ['办理时限', 'Due'],
  dueBeijing: ['办理时限（北京时间）', 'Due (Beijing time)'],
  late: ['已超时', 'Late'],
  status: ['状态', 'Status'],
  household: ['户编号', 'Household'],
  eventDate: ['出险日期', 'Event date'],
  proposed: ['测算赔款', 'Proposed payout'],
  approved: ['核定赔款', 'Approved'],
  paid: ['已支付', 'Paid'],
  at: ['时间（北京时间）', 'Time (Beijing)'],
  who: ['办理人', 'By'],
  event: ['事项', 'Event'],
  done: ['已办理：', 'Done: '],
  ended: ['登录已失效，请重新登录', 'Your session has ended; sign in again'],
  notYours: ['此案件当前不需要您办理。', 'Nothing on this claim waits for you now.'],
  reasonNeeded: ['请填写原因。', 'Please give a reason.'],
  documentsNeeded: ['请至少上传一份材料。', 'Upload at least one document.'],
  households: ['农户查询', 'Households'],
  searchBy: [
    '户主或成员姓名、户编号，或身份证号（完整 18 位或后 4 位）',
    'Name of a member, a household number, or a resident ID (all 18 characters or the last 4)',
  ],
  search: ['查询', 'Search'],
  head: ['户主', 'Head'],
  category: ['身份类别', 'Category'],
  memberCount: ['人口', 'Members'],
  members: ['家庭成员', 'Members'],
  name: ['姓名', 'Name'],
  relation: ['与户主关系', 'Relation'],
  residentId: ['身份证号', 'Resident ID'],
  joinedOn: ['迁入', 'Joined'],
  leftOn: ['迁出', 'Left'],
  deceasedOn: ['死亡', 'Deceased'],
  categoryHistory: ['身份类别记录', 'Category history'],
  from: ['起', 'From'],
  to: ['止', 'To'],
  enrollments: ['参保险种', 'Enrolled lines'],
  policyYear: ['保单年度', 'Policy year'],
  enrolledOn: ['参保日期', 'Enrolled on'],
  householdClaims: ['理赔案件', 'Claims'],
  exposure: ['已获赔付与剩余额度', 'Paid and remaining under each cap'],
  cap: ['限额', 'Cap'],
  limit: ['额度', 'Limit'],
  held: ['已占用', 'Held'],
  remaining: ['剩余', 'Remaining'],
  explanation: ['赔款计算', 'How the payout was computed'],
  warnings: ['复核提示', 'For the reviewer'],
  reasons: ['原因', 'Reasons'],
  objections: ['公示异议', 'Objections'],
  notice: ['公示期', 'Public notice'],
  account: ['赔款账户', 'Payout account'],
  cardNumber: ['社保卡或银行卡号', 'Card number'],
  holderName: ['户名', 'Holder'],
  holderResidentId: ['户名人身份证号', 'Holder’s resident ID'],
  pendingAccount: ['待复核的新账户', 'Corrected account awaiting approval'],
  actions: ['可办理事项', 'What you can do'],
  appealAction: ['申诉（另立复核案件）', 'Appeal (a new review)'],
  appealOf: ['申诉原案', 'Appeal of'],
  appealed: ['已提交申诉，新案件编号', 'Appeal filed, new claim'],
  open: ['查看', 'Open'],
  displayName: ['姓名', 'Display name'],
  role: ['角色', 'Role'],
  jurisdiction: ['辖区代码', 'Jurisdiction'],
  accountStatus: ['账号状态', 'Status'],
  active: ['启用', 'Active'],
  disabled: ['停用', 'Disabled'],
  locked: ['已锁定', 'Locked'],
  newUser: ['新建用户', 'New user'],
  edit: ['修改', 'Edit'],
  resetPassword: ['重置密码', 'Reset password'],
  unlock: ['解除锁定', 'Unlock'],
  temporaryPassword: [
    '临时密码（请当面或电话告知本人，首次登录须修改）',
    'Temporary password (tell the person; they must change it)',
  ],
  audit: ['操作记录', 'Audit trail'],
  change: ['变更', 'Change'],
  beijingNote: ['时间均为北京时间', 'Times are Beijing time'],
  noticeList: ['公示名单', 'Public notice'],
  noticeTitle: ['防贫保理赔公示名单', 'poverty-prevention insurance claims: public notice'],
  villageCode: ['行政村代码（12 位）', 'Village code (12 digits)'],
  print: ['打印', 'Print'],
  downloadPdf: ['下载 PDF', 'Download PDF'],
  noNotice: ['本村当前没有处于公示期的理赔案件。', 'No claim of this village is under public notice now.'],
  number: ['序号', 'No.'],
  recordObjection: ['登记异议', 'Record an objection'],
  howToObject: ['异议方式', 'How to object'],
  villageContact: ['村级受理', 'In the village'],
  objectionLine: ['县级异议受理电话', 'County objection line'],
  issuer: ['发布单位', 'Issued by'],
  language: ['English', '中文'],
} satisfies Record<string, [string, string]>;

export type Word = keyof typeof WORDS;
/** A word of the page in its language. */
export const t = (key: Word | string): string => {
  const entry = (WORDS as Record<string, [string, string]>)[key];
  return entry ? entry[lang.value === 'zh' ? 0 : 1] : key;
};
