import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ROSTER_COLUMNS, ROSTER_SHEET } from '../../domain/roster-sheet';

describe('the import templates in docs/templates', () => {
  test('hold the columns the importer reads today (run `npm run templates` after changing them)', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(__dirname, '..', '..', 'docs', 'templates', '农户花名册导入模板.xlsx'));
    expect(book.worksheets.map((s) => s.name)).toEqual(['填写说明', '代码表', ROSTER_SHEET]);
    const header = (book.getWorksheet(ROSTER_SHEET)!.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(ROSTER_COLUMNS.map((c) => (c.required ? `${c.header}*` : c.header)));
  });
});
