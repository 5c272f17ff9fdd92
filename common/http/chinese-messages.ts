/**
 * The Chinese of the domain's own validation messages (the rules are written once, in English, next to their
 * schemas; this is their translation for the staff who read a field error). A message not listed falls back to
 * zod's zh-CN text for its check.
 */
const EXACT: Record<string, string> = {
  'must be whole fen (integer)': '须为整数分',
  'must list 10 grades (grade 1 first)': '须列出 10 个年级（从一年级起）',
  'grade 1–10': '年级须为 1–10',
  'is implausibly large': '数值大得不合常理',
  'at most two active secrets (current and next)': '最多两个有效密钥（当前与下一个）',
  'must be at most 40 characters': '最多 40 个字符',
  'must be at most 128 characters': '最多 128 个字符',
  'must be at least 10 characters': '至少 10 个字符',
  'must contain a letter': '须包含字母',
  'must contain a digit': '须包含数字',
  'must change at least one field besides version': '除 version 外至少要修改一项',
  'must be 3–32 letters, digits, dots, dashes or underscores, starting with a letter':
    '须为 3–32 位字母、数字、点、短横线或下划线，以字母开头',
  'a reason is given exactly when bounced': '仅在退票时填写原因，且退票时必须填写',
  'a resident ID appears more than once': '有身份证号重复出现',
  'at most 2 decimal places': '最多两位小数',
  'digits 10–12 must name a village': '第 10–12 位须为村级代码',
  'digits 7–9 must name a township': '第 7–9 位须为乡镇代码',
  'end must not be before start': '结束日期不能早于开始日期',
  'leftOn must not be before joinedOn': '迁出日期不能早于迁入日期',
  'must be 6, 9 or 12 digits': '须为 6、9 或 12 位数字',
  'must be a real calendar date YYYY-MM-DD': '须为真实日期，格式 YYYY-MM-DD',
  'must not be before admissionDate': '不能早于入院日期',
  'required when outcome is documents_requested': '要求补充材料时必填',
  'the first 6 digits must name a county, not a province or city': '前 6 位须为县级代码，不能是省或市',
  'the reimbursed and non-compliant parts exceed the total cost': '已报销部分与不合规部分之和超过总费用',
  'to must not be before from': '结束日期不能早于开始日期',
  'a household has at least one member': '一户至少有一名成员',
  'a reason is required': '必须填写原因',
  'a partner id': '须为合作方编号（2–40 位小写字母、数字或短横线）',
  'a key id (k_ and 10 hex digits)': '须为密钥编号（k_ 加 10 位十六进制数字）',
  'give url, sandboxUrl or both': '须给出 url、sandboxUrl 或两者',
  'secrets must be at least 32 characters': '密钥至少 32 个字符',
  'an appeal brings new documents': '申诉须提供新材料',
  'at least one category period is required': '至少需要一段身份类别期间',
  'must not be empty': '不能为空',
  'must not be negative': '不能为负数',
  'must be positive': '须为正数',
  'must be an 11-digit mobile number': '须为 11 位手机号码',
  'must be a lowercase hex SHA-256': '须为小写十六进制的 SHA-256 值',
  'letters, digits and dashes of a claim number': '案件编号只能包含字母、数字和短横线',
  'a staff user id': '须为工作人员账号',
  'a change id': '须为变更编号',
  'an import id': '须为导入任务编号',
  'a referral id such as RF-20261202-0a1b2c3d': '须为监测线索编号，如 RF-20261202-0a1b2c3d',
  'a disaster event id': '须为灾情编号',
  'at least one village': '至少选择一个受灾村',
  'at least one line': '至少选择一个险种',
  'a village appears more than once': '有村重复出现',
  'a line appears more than once': '有险种重复出现',
  'must not be in the future': '不能晚于今天',
  'must not be before from': '不能早于开始日期',
  'at most 366 days after from': '最多比开始日期晚 366 天',
  'must be 1–64 letters, digits, _ or -': '须为 1–64 个字母、数字、_ 或 -',
  'must be 4–64 letters, digits, _ or -': '须为 4–64 个字母、数字、_ 或 -',
  'must contain only Chinese characters, letters, · or spaces': '只能包含汉字、字母、· 或空格',
  'must be a lowercase insurer id': '须为小写的保险公司编号',
  'must be a 12-digit village code': '须为 12 位村级区划代码',
  'must be 16–19 digits': '须为 16–19 位数字',
  'the last 4 characters of a resident ID': '须为身份证号的后 4 位',
  'must look like FP-20261129-341324-000123': '格式应如 FP-20261129-341324-000123',
  'change at least one field': '至少修改一个字段',
  "the account holder's name and resident ID must match a member of the household": '收款人姓名和身份证号须与该户某一成员一致',
  'must be 18 characters (17 digits and a digit or X) or a legacy 15-digit number':
    '须为 18 位（17 位数字加一位数字或 X）或旧版 15 位号码',
  'check character does not match': '校验码不符',
  'must be a division code prefix of 6 (county), 9 (township) or 12 (village) digits':
    '须为 6 位（县）、9 位（乡镇）或 12 位（村）的区划代码',
};

const PATTERNS: [RegExp, (...groups: string[]) => string][] = [
  [/^invalid resident ID: (.+)$/, (why) => `身份证号无效：${chineseMessageFor(why) ?? why}`],
  [/^birth date (\S+) is not a real date$/, (d) => `出生日期 ${d} 不是真实日期`],
  [/^birth date (\S+) is in the future$/, (d) => `出生日期 ${d} 晚于今天`],
  [/^enrollment (.+) appears more than once$/, (k) => `参保记录 ${k} 重复出现`],
  [/^memberId (.+) appears more than once$/, (id) => `成员编号 ${id} 重复出现`],
  [/^must have exactly one head \(found (\d+)\)$/, (n) => `须有且只有一名户主（现有 ${n} 名）`],
  [/^periods overlap at (.+)$/, (d) => `身份类别期间在 ${d} 重叠`],
  [/^loss details are for (\S+), the claim is for (\S+)$/, (a, b) => `损失明细属于险种 ${a}，而报案险种为 ${b}`],
  [/^required when outcome is (\S+)$/, (o) => `结论为 ${o} 时必填`],
  [/^not allowed when outcome is (\S+)$/, (o) => `结论为 ${o} 时不得填写`],
  [/^unknown province code (\S+)$/, (c) => `未知的省级代码 ${c}`],
  [/^mandatory line (\S+) is missing$/, (l) => `缺少必保险种 ${l}`],
];

/** The Chinese for one of the domain's validation messages, or undefined when it has none. */
export function chineseMessageFor(english: string): string | undefined {
  const exact = EXACT[english];
  if (exact) return exact;
  for (const [pattern, render] of PATTERNS) {
    const match = pattern.exec(english);
    if (match) return render(...match.slice(1));
  }
  return undefined;
}
