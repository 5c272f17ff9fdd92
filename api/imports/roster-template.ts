/**
 * The roster import template (农户花名册导入模板.xlsx): a sheet of instructions with an example, the 花名册 sheet
 * with its Chinese headers (required ones marked), text-formatted number columns and drop-down lists for the codes,
 * and the 代码表 sheet those lists read from.
 */
import ExcelJS from 'exceljs';
import { ROSTER_COLUMNS, ROSTER_LISTS, ROSTER_SHEET, type RosterKey } from '../../domain/roster-sheet';

const CODE_SHEET = '代码表';
/** Rows with drop-down lists and text formats: far more than one file may hold per village. */
const PREPARED_ROWS = 20_000;

const EXAMPLE: Partial<Record<RosterKey, string>>[] = [
  {
    householdId: 'SX-105003-0001',
    divisionCode: '341324105003',
    memberId: 'm1',
    name: '张三',
    residentId: '（18 位身份证号）',
    relation: '户主',
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
  { householdId: 'SX-105003-0001', memberId: 'm2', name: '李四', residentId: '（18 位身份证号）', relation: '配偶' },
];

const column = (i: number) => {
  let n = i + 1;
  let name = '';
  while (n > 0) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
};

type WithValidations = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };

export async function rosterTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fangpin';

  const help = workbook.addWorksheet('填写说明');
  help.getColumn(1).width = 22;
  help.getColumn(2).width = 14;
  help.getColumn(3).width = 90;
  const lines = [
    ['农户花名册导入模板（防贫保）'],
    [],
    ['1. 在“花名册”工作表中每行填写一名家庭成员，同一户的各行须连续排列。'],
    ['2. 户级信息（村代码、户类别、参保、收款账户、帮扶联系人）只需填在该户的第一行。'],
    ['3. 身份证号、卡号、电话等长数字列已设为文本格式，请勿改为数字格式（否则末几位会丢失）。'],
    ['4. 日期写成 2026-03-01（也可用 2026/3/1 或 Excel 日期）。'],
    ['5. 导入时可选择“全部正确才导入”（有任何错误行则不导入）或“只导入正确的户”；导入后可下载逐行结果。'],
    ['6. 同一文件重复导入不会重复登记；户类别、成员减少、收款账户等变更需另一名工作人员审核后生效。'],
    ['7. 文件中未列出的参保年度保持不变；文件列出的年度以文件为准。'],
    [],
    ['列名', '是否必填', '说明'],
    ...ROSTER_COLUMNS.map((c) => [c.header, c.required ? (c.household ? '必填（首行）' : '必填') : '', c.note]),
    [],
    ['示例（请勿在本表填写数据）：'],
    ROSTER_COLUMNS.map((c) => c.header),
    ...EXAMPLE.map((row) => ROSTER_COLUMNS.map((c) => row[c.key] ?? '')),
  ];
  for (const line of lines) help.addRow(line);
  help.getRow(1).font = { bold: true, size: 14 };
  help.getRow(11).font = { bold: true };

  const codes = workbook.addWorksheet(CODE_SHEET);
  const lists = Object.entries(ROSTER_LISTS) as [keyof typeof ROSTER_LISTS, readonly string[]][];
  const listHeaders: Record<keyof typeof ROSTER_LISTS, string> = {
    categories: '户类别',
    relations: '与户主关系',
    accountKinds: '收款账户类型',
  };
  const listRange = {} as Record<keyof typeof ROSTER_LISTS, string>;
  lists.forEach(([name, values], i) => {
    const col = column(i);
    codes.getCell(`${col}1`).value = listHeaders[name];
    values.forEach((v, j) => (codes.getCell(`${col}${j + 2}`).value = v));
    codes.getColumn(i + 1).width = 18;
    listRange[name] = `${CODE_SHEET}!$${col}$2:$${col}$${values.length + 1}`;
  });
  const lineColumn = lists.length;
  codes.getCell(`${column(lineColumn)}1`).value = '险种（参保险种列用顿号分隔，或填 3+2）';
  ['特色农产品', '健康保险', '意外伤害', '家庭财产', '教育升学'].forEach(
    (v, j) => (codes.getCell(`${column(lineColumn)}${j + 2}`).value = v),
  );
  codes.getColumn(lineColumn + 1).width = 36;
  codes.getRow(1).font = { bold: true };

  const sheet = workbook.addWorksheet(ROSTER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ROSTER_COLUMNS.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  const validations = (sheet as unknown as WithValidations).dataValidations;
  ROSTER_COLUMNS.forEach((c, i) => {
    const col = column(i);
    if (c.text || c.key === 'policyYear') sheet.getColumn(i + 1).numFmt = '@';
    if (c.date) sheet.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
    if (c.list)
      validations.add(`${col}2:${col}${PREPARED_ROWS + 1}`, {
        type: 'list',
        allowBlank: true,
        formulae: [listRange[c.list]],
        showErrorMessage: true,
        errorTitle: '请从下拉列表中选择',
        error: `可选值见“${CODE_SHEET}”工作表`,
      });
  });
  sheet.getRow(1).numFmt = '@';
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 2, visibility: 'visible' }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
