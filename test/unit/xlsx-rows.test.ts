import ExcelJS from 'exceljs';
import { NotAWorkbook, sheetRows } from '../../api/imports/xlsx-rows';

/** A workbook of many distinct Chinese texts: its XML is inflated in many chunks, characters split between them. */
async function workbookOf(rows: (string | number)[][], sheets = ['说明', '数据']): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet(sheets[0]).addRow(['这张表不是数据']);
  const sheet = book.addWorksheet(sheets[1]);
  sheet.addRow(['编号', '名称', '数量']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('reading the rows of an .xlsx', () => {
  test('keeps every Chinese character whole, whatever the chunk boundaries', async () => {
    const rows = Array.from({ length: 6_000 }, (_, i) => [`行${i}`, `特色农产品、健康保险、意外伤害·第${i}户`, i]);
    const read: (string | number | Date | undefined)[][] = [];
    for await (const item of sheetRows(await workbookOf(rows), (h) => h[0] === '编号'))
      if (!('header' in item)) read.push(item.values);
    expect(read).toEqual(rows);
    expect(JSON.stringify(read)).not.toContain('\uFFFD');
  });

  test('yields the header of the data sheet first, with row numbers as Excel shows them', async () => {
    const items = [];
    for await (const item of sheetRows(await workbookOf([['a', '甲', 1]]), (h) => h[0] === '编号')) items.push(item);
    expect(items).toEqual([{ header: ['编号', '名称', '数量'] }, { row: 2, values: ['a', '甲', 1] }]);
  });

  test('says when the bytes are no workbook', async () => {
    const read = async () => {
      for await (const _ of sheetRows(Buffer.from('PK\u0003\u0004 not really a zip'), () => true)) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(NotAWorkbook);
  });
});
