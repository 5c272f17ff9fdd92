/**
 * The rows of an uploaded .xlsx, streamed (exceljs' WorkbookReader: one row in memory at a time, whatever the file's
 * size). The data sheet is the first whose header row has the columns asked for; cells come as text, number or date.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

export type CellValue = string | number | Date;

export interface SheetRow {
  /** The row's number in the sheet, as Excel shows it. */
  row: number;
  /** Cell values by 0-based column (empty cells absent). */
  values: (CellValue | undefined)[];
}

/** A cell as a plain value: formulas by their result, rich text and hyperlinks by their text. */
export function plainValue(value: unknown): CellValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: string };
    if ('result' in v) return plainValue(v.result);
    if (v.richText) return plainValue(v.richText.map((r) => r.text).join(''));
    if (v.text !== undefined) return plainValue(v.text);
  }
  return undefined;
}

export class NotAWorkbook extends Error {}

/**
 * Yields the header (once) and then every non-empty row of the first sheet whose header row passes `isHeader`.
 * Throws NotAWorkbook when the bytes are not a readable .xlsx.
 */
export async function* sheetRows(
  content: Buffer,
  isHeader: (header: (CellValue | undefined)[]) => boolean,
): AsyncGenerator<{ header: (CellValue | undefined)[] } | SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([content]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let found = false;
  try {
    for await (const worksheet of reader) {
      // every sheet is read to its end (a streamed workbook cannot skip one), only the data sheet's rows are yielded
      let header: (CellValue | undefined)[] | undefined;
      let data = false;
      for await (const row of worksheet) {
        const values = ((row.values as unknown[]) ?? []).slice(1).map(plainValue);
        if (!header) {
          if (values.every((v) => v === undefined)) continue;
          header = values;
          data = !found && isHeader(header);
          if (!data) continue;
          found = true;
          yield { header };
          continue;
        }
        if (data && values.some((v) => v !== undefined)) yield { row: row.number, values };
      }
    }
  } catch (error) {
    if (found) throw error;
    throw new NotAWorkbook(error instanceof Error ? error.message : String(error));
  }
}
