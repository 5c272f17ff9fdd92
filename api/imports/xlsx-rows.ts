/**
 * The rows of an uploaded .xlsx, read as a stream of XML (one row in memory at a time, whatever the sheet's size).
 *
 * Our own small reader rather than exceljs' WorkbookReader, which (4.4.0) decodes each inflated chunk on its own and
 * so breaks a Chinese character split between two chunks into U+FFFD (exceljs issues #2063, #2084: about one row in
 * two thousand of a roster), and which spools worksheets that precede the shared strings to clear-text temp files (a
 * roster full of ID numbers on disk). Here the file stays in memory (it arrived as one buffer), each entry is
 * inflated from its own offset, the bytes are decoded with a streaming UTF-8 decoder, and the shared strings are read
 * before any sheet. Cells come as text or numbers (dates as Excel day numbers, which the roster reads as dates).
 */
import { createInflateRaw } from 'node:zlib';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export type CellValue = string | number | Date;

export interface SheetRow {
  /** The row's number in the sheet, as Excel shows it. */
  row: number;
  /** Cell values by 0-based column (empty cells absent). */
  values: (CellValue | undefined)[];
}

export class NotAWorkbook extends Error {}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  offset: number;
}

/** The entries of a zip archive, from its central directory. */
function zipEntries(zip: Buffer): Map<string, ZipEntry> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > zip.length) throw new NotAWorkbook('no zip directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw new NotAWorkbook('a broken zip directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, { name, method, compressedSize, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** An entry's bytes, inflated as a stream. */
function entryStream(zip: Buffer, entry: ZipEntry): Readable {
  const at = entry.offset;
  if (zip.readUInt32LE(at) !== 0x04034b50) throw new NotAWorkbook(`a broken zip entry ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Readable.from([data]);
  if (entry.method !== 8) throw new NotAWorkbook(`zip method ${entry.method}`);
  const inflate = createInflateRaw();
  inflate.end(data);
  return inflate;
}

interface XmlHandlers {
  open?: (tag: SaxesTagPlain) => void;
  text?: (text: string) => void;
  close?: (tag: SaxesTagPlain) => void;
}

/**
 * Feeds an entry's XML to SAX handlers, decoded as UTF-8 across chunk boundaries; yields after each inflated chunk
 * (16 KiB), so a reader pulls the next chunk only when it has used what the last one gave.
 */
async function* parseXml(zip: Buffer, entry: ZipEntry, handlers: XmlHandlers): AsyncGenerator<void> {
  const parser = new SaxesParser();
  let failure: Error | undefined;
  parser.on('error', (error) => (failure ??= error));
  if (handlers.open) parser.on('opentag', handlers.open);
  if (handlers.text) parser.on('text', handlers.text);
  if (handlers.close) parser.on('closetag', handlers.close);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of entryStream(zip, entry)) {
    parser.write(decoder.write(chunk as Buffer));
    if (failure) throw new NotAWorkbook(failure.message);
    yield;
  }
  parser.write(decoder.end());
  parser.close();
  if (failure) throw new NotAWorkbook(failure.message);
}

/** Parses a whole (small) entry. */
async function parseAll(zip: Buffer, entry: ZipEntry, handlers: XmlHandlers): Promise<void> {
  for await (const _ of parseXml(zip, entry, handlers)) void _;
}

/** The workbook's sheets in their order (their names and entry paths). */
async function sheetsOf(zip: Buffer, entries: Map<string, ZipEntry>): Promise<{ name: string; path: string }[]> {
  const workbook = entries.get('xl/workbook.xml');
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new NotAWorkbook('no workbook in the archive');
  const targets = new Map<string, string>();
  await parseAll(zip, rels, {
    open: (tag) => {
      if (tag.name === 'Relationship') targets.set(String(tag.attributes.Id), String(tag.attributes.Target));
    },
  });
  const sheets: { name: string; path: string }[] = [];
  await parseAll(zip, workbook, {
    open: (tag) => {
      if (tag.name !== 'sheet') return;
      const target = targets.get(String(tag.attributes['r:id'])) ?? '';
      const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      sheets.push({ name: String(tag.attributes.name), path });
    },
  });
  return sheets;
}

/** The shared strings table (every distinct text of the workbook). */
async function sharedStringsOf(zip: Buffer, entries: Map<string, ZipEntry>): Promise<string[]> {
  const entry = entries.get('xl/sharedStrings.xml');
  if (!entry) return [];
  const strings: string[] = [];
  let current = '';
  let inText = false;
  let inPhonetic = false;
  await parseAll(zip, entry, {
    open: (tag) => {
      if (tag.name === 'si') current = '';
      else if (tag.name === 'rPh') inPhonetic = true;
      else if (tag.name === 't' && !inPhonetic) inText = true;
    },
    text: (text) => {
      if (inText) current += text;
    },
    close: (tag) => {
      if (tag.name === 't') inText = false;
      else if (tag.name === 'rPh') inPhonetic = false;
      else if (tag.name === 'si') strings.push(current);
    },
  });
  return strings;
}

/** 0-based column of a cell reference (A1 → 0, AB7 → 27). */
function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n - 1;
}

/** The rows of one sheet, in order. */
async function* rowsOf(zip: Buffer, entry: ZipEntry, strings: readonly string[]): AsyncGenerator<SheetRow> {
  const ready: SheetRow[] = [];
  let row: SheetRow | undefined;
  let rowNumber = 0;
  let cell: { column: number; type: string } | undefined;
  let text = '';
  let capture = false;
  let nextColumn = 0;
  const handlers = {
    open: (tag: SaxesTagPlain) => {
      if (tag.name === 'row') {
        rowNumber = tag.attributes.r ? Number(tag.attributes.r) : rowNumber + 1;
        row = { row: rowNumber, values: [] };
        nextColumn = 0;
      } else if (tag.name === 'c') {
        const ref = tag.attributes.r ? String(tag.attributes.r) : '';
        const column = ref ? columnOf(ref) : nextColumn;
        nextColumn = column + 1;
        cell = { column, type: String(tag.attributes.t ?? 'n') };
        text = '';
      } else if (cell && (tag.name === 'v' || tag.name === 't')) {
        capture = true;
      }
    },
    text: (value: string) => {
      if (capture) text += value;
    },
    close: (tag: SaxesTagPlain) => {
      if (tag.name === 'v' || tag.name === 't') capture = false;
      else if (tag.name === 'c' && cell && row) {
        const value =
          cell.type === 's'
            ? strings[Number(text)]
            : cell.type === 'n'
              ? text === ''
                ? undefined
                : Number(text)
              : cell.type === 'b'
                ? text === '1'
                  ? 'TRUE'
                  : 'FALSE'
                : text; // str (a formula's text), inlineStr, e (an error's text)
        if (value !== undefined && !(typeof value === 'string' && value.trim() === '') && !Number.isNaN(value))
          row.values[cell.column] = value;
        cell = undefined;
      } else if (tag.name === 'row' && row) {
        if (row.values.some((v) => v !== undefined)) ready.push(row);
        row = undefined;
      }
    },
  };
  for await (const _ of parseXml(zip, entry, handlers)) {
    void _;
    for (const r of ready.splice(0)) yield r;
  }
  for (const r of ready.splice(0)) yield r;
}

/**
 * Yields the header (once) and then every non-empty row of the first sheet whose first non-empty row passes
 * `isHeader`. Throws NotAWorkbook when the bytes are not a readable .xlsx.
 */
export async function* sheetRows(
  content: Buffer,
  isHeader: (header: (CellValue | undefined)[]) => boolean,
): AsyncGenerator<{ header: (CellValue | undefined)[] } | SheetRow> {
  let entries: Map<string, ZipEntry>;
  let sheets: { name: string; path: string }[];
  let strings: string[];
  try {
    entries = zipEntries(content);
    sheets = await sheetsOf(content, entries);
    strings = await sharedStringsOf(content, entries);
  } catch (error) {
    throw error instanceof NotAWorkbook ? error : new NotAWorkbook(error instanceof Error ? error.message : String(error));
  }
  for (const sheet of sheets) {
    const entry = entries.get(sheet.path);
    if (!entry) continue;
    let header: (CellValue | undefined)[] | undefined;
    for await (const row of rowsOf(content, entry, strings)) {
      if (!header) {
        header = Array.from(row.values);
        if (!isHeader(header)) break;
        yield { header };
        continue;
      }
      yield row;
    }
    if (header && isHeader(header)) return;
  }
}
