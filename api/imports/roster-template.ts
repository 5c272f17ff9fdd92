/**
 * The roster import template (农户花名册导入模板.xlsx): instructions with an example, the 花名册 sheet and its code
 * lists (categories, relations, account kinds; the lines as they may be written).
 */
import { ROSTER_COLUMNS, ROSTER_LISTS, ROSTER_SHEET, type RosterKey } from '../../domain/roster-sheet';
import { templateWorkbook } from './template-workbook';

const EXAMPLE: Partial<Record<RosterKey, string>>[] = [
  {
    householdId: 'SX-105003-0001',
    divisionCode: '341324105003',
    memberId: 'm1',
    name: '张三',
    residentId: '（18 位身份证号）',
    relation: '户主',
    labour: '普通劳动力',
    category: '脱贫户',
    categoryFrom: '2016-01-01',
    policyYear: '2026',
    lines: '3+2',
    enrolledOn: '2026-01-01',
    accountKind: '社保卡',
    cardNumber: '（16–19 位卡号）',
    bankName: '泗县农商银行',
    holderName: '张三',
    holderResidentId: '（户主身份证号）',
  },
  {
    householdId: 'SX-105003-0001',
    memberId: 'm2',
    name: '李四',
    residentId: '（18 位身份证号）',
    relation: '配偶',
    labour: '弱劳动力或半劳动力',
  },
];

export function rosterTemplate(): Promise<Buffer> {
  return templateWorkbook({
    title: '农户花名册导入模板（防贫保）',
    instructions: [
      '在“花名册”工作表中每行填写一名家庭成员，同一户的各行须连续排列。',
      '户级信息（村代码、户类别、参保、收款账户、帮扶联系人）只需填在该户的第一行。',
      '身份证号、卡号、电话等长数字列已设为文本格式，请勿改为数字格式（否则末几位会丢失）。',
      '日期写成 2026-03-01（也可用 2026/3/1 或 Excel 日期）。',
      '导入时可选择“全部正确才导入”（有任何错误行则不导入）或“只导入正确的户”；导入后可下载逐行结果。',
      '同一文件重复导入不会重复登记；户类别、成员减少、收款账户等变更需另一名工作人员审核后生效。',
      '文件中未列出的参保年度保持不变；文件列出的年度以文件为准。',
    ],
    sheet: ROSTER_SHEET,
    columns: ROSTER_COLUMNS.map((c) => ({
      ...c,
      required: c.required && !c.household,
      requiredFirst: c.required && c.household,
      text: c.text || c.key === 'policyYear',
    })),
    lists: {
      categories: { header: '户类别', values: ROSTER_LISTS.categories },
      relations: { header: '与户主关系', values: ROSTER_LISTS.relations },
      labour: { header: '劳动技能', values: ROSTER_LISTS.labour },
      accountKinds: { header: '收款账户类型', values: ROSTER_LISTS.accountKinds },
    },
    notes: [
      {
        header: '险种（参保险种列用顿号分隔，或填 3+2）',
        values: ['特色农产品', '健康保险', '意外伤害', '家庭财产', '教育升学'],
      },
    ],
    example: EXAMPLE,
  });
}
