/**
 * An import template as county staff get it: a sheet of instructions (every column, whether required, what to
 * write, an example), the data sheet with its Chinese headers (required ones marked *), text-formatted number
 * columns, date formats and drop-down lists for the codes, and the 代码表 sheet those lists read from.
 */
import ExcelJS from 'exceljs';

const CODE_SHEET = '代码表';
/** Rows with drop-down lists and formats: far more than one file may hold per village. */
const PREPARED_ROWS = 20_000;

export interface TemplateColumn<K extends string> {
  key: K;
  header: string;
  width: number;
  required?: boolean;
  /** Required on the first row of a group only (a household's own columns). */
  requiredFirst?: boolean;
  text?: boolean;
  date?: boolean;
  list?: string;
  note: string;
}

export interface TemplateSpec<K extends string> {
  title: string;
  /** Numbered instructions, one per line. */
  instructions: readonly string[];
  sheet: string;
  columns: readonly TemplateColumn<K>[];
  /** The drop-down lists by name: their header in the code sheet and their values. */
  lists: Record<string, { header: string; values: readonly string[] }>;
  /** More columns of the code sheet, for reading only (not a drop-down). */
  notes?: readonly { header: string; values: readonly string[] }[];
  example: readonly Partial<Record<K, string>>[];
}

const columnName = (i: number) => {
  let n = i + 1;
  let name = '';
  while (n > 0) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
};

type WithValidations = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };

export async function templateWorkbook<K extends string>(spec: TemplateSpec<K>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fangpin';

  const help = workbook.addWorksheet('填写说明');
  help.getColumn(1).width = 22;
  help.getColumn(2).width = 14;
  help.getColumn(3).width = 90;
  const lines = [
    [spec.title],
    [],
    ...spec.instructions.map((text, i) => [`${i + 1}. ${text}`]),
    [],
    ['列名', '是否必填', '说明'],
    ...spec.columns.map((c) => [c.header, c.required ? '必填' : c.requiredFirst ? '必填（首行）' : '', c.note]),
    [],
    ['示例（请勿在本表填写数据）：'],
    spec.columns.map((c) => c.header),
    ...spec.example.map((row) => spec.columns.map((c) => row[c.key] ?? '')),
  ];
  for (const line of lines) help.addRow(line);
  help.getRow(1).font = { bold: true, size: 14 };
  help.getRow(spec.instructions.length + 4).font = { bold: true };

  const codes = workbook.addWorksheet(CODE_SHEET);
  const listRange: Record<string, string> = {};
  const codeColumns = [
    ...Object.entries(spec.lists).map(([name, list]) => ({ name, ...list })),
    ...(spec.notes ?? []).map((n) => ({ name: '', ...n })),
  ];
  codeColumns.forEach(({ name, header, values }, i) => {
    const col = columnName(i);
    codes.getCell(`${col}1`).value = header;
    values.forEach((v, j) => (codes.getCell(`${col}${j + 2}`).value = v));
    codes.getColumn(i + 1).width = Math.max(18, header.length * 2 + 2);
    if (name) listRange[name] = `${CODE_SHEET}!$${col}$2:$${col}$${Math.max(values.length, 1) + 1}`;
  });
  codes.getRow(1).font = { bold: true };

  const sheet = workbook.addWorksheet(spec.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map((c) => ({
    header: c.required || c.requiredFirst ? `${c.header}*` : c.header,
    key: c.key,
    width: c.width,
  }));
  sheet.getRow(1).font = { bold: true };
  const validations = (sheet as unknown as WithValidations).dataValidations;
  spec.columns.forEach((c, i) => {
    const col = columnName(i);
    if (c.text) sheet.getColumn(i + 1).numFmt = '@';
    if (c.date) sheet.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
    const range = c.list ? listRange[c.list] : undefined;
    if (range)
      validations.add(`${col}2:${col}${PREPARED_ROWS + 1}`, {
        type: 'list',
        allowBlank: true,
        formulae: [range],
        showErrorMessage: true,
        errorTitle: '请从下拉列表中选择',
        error: `可选值见“${CODE_SHEET}”工作表`,
      });
  });
  sheet.getRow(1).numFmt = '@';
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 2, visibility: 'visible' }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
