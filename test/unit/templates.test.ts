import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { CLAIM_SHEET, CLAIM_SHEET_COLUMNS } from '../../domain/claim-sheet';
import { ROSTER_COLUMNS, ROSTER_SHEET } from '../../domain/roster-sheet';

describe('the import templates in docs/templates', () => {
  test.each([
    ['农户花名册导入模板.xlsx', ROSTER_SHEET, ROSTER_COLUMNS],
    ['批量报案导入模板.xlsx', CLAIM_SHEET, CLAIM_SHEET_COLUMNS],
  ] as const)(
    '%s holds the columns the importer reads today (run `npm run templates` after changing them)',
    async (file, sheet, columns) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(join(__dirname, '..', '..', 'docs', 'templates', file));
      expect(book.worksheets.map((s) => s.name)).toEqual(['填写说明', '代码表', sheet]);
      const header = (book.getWorksheet(sheet)!.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(columns.map((c) => (c.required ? `${c.header}*` : c.header)));
    },
  );
});
