/** Excel imports as a test drives them through the API: upload a file, follow its job, read its report. */
import ExcelJS from 'exceljs';
import { pollUntil } from '../../common/poll';
import type { Actor } from '../../workflows/claim/types';
import { people, tokenFor, type ClaimHarness } from './claim-harness';

export interface ImportJobView {
  id: string;
  kind: string;
  status: string;
  totalRows: number | null;
  doneRows: number;
  counts: Record<string, number>;
  problem: { zh: string } | null;
  links: { report?: string };
}

export function importsApi(h: Pick<ClaimHarness, 'apiUrl'>, kind: 'roster' | 'claims') {
  let template: Promise<Buffer> | undefined;
  /** The template as the workbench offers it (downloaded once). */
  const downloadTemplate = () =>
    (template ??= (async () => {
      const res = await fetch(`${h.apiUrl}/imports/templates/${kind}`, {
        headers: { authorization: `Bearer ${await tokenFor(people.filer)}` },
      });
      if (res.status !== 200) throw new Error(`the template answered ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    })());
  return {
    downloadTemplate,

    /** The template with its data sheet filled (a real .xlsx, written by the library as Excel would save it). */
    async workbook<K extends string>(
      sheetName: string,
      columns: readonly { key: K }[],
      rows: readonly Partial<Record<K, string | number>>[],
    ): Promise<Buffer> {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load((await downloadTemplate()) as unknown as ExcelJS.Buffer);
      const sheet = book.getWorksheet(sheetName)!;
      for (const row of rows) sheet.addRow(columns.map((c) => row[c.key] ?? null));
      return Buffer.from(await book.xlsx.writeBuffer());
    },

    /** Starts the import of `file` (202 expected). */
    async upload(file: Buffer, { actor = people.filer, mode }: { actor?: Actor; mode?: string } = {}): Promise<ImportJobView> {
      const query = new URLSearchParams({ fileName: kind === 'roster' ? '花名册.xlsx' : '批量报案.xlsx' });
      if (mode) query.set('mode', mode);
      const res = await fetch(`${h.apiUrl}/imports/${kind}?${query.toString()}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await tokenFor(actor)}`, 'content-type': 'application/octet-stream' },
        body: file,
      });
      if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as ImportJobView;
    },

    /** The job once finished (done, refused or failed). */
    async finished(job: Pick<ImportJobView, 'id'>, actor: Actor = people.filer): Promise<ImportJobView> {
      const token = await tokenFor(actor);
      return pollUntil(
        `import ${job.id} to finish`,
        async () => {
          const res = await fetch(`${h.apiUrl}/imports/${job.id}`, { headers: { authorization: `Bearer ${token}` } });
          const now = (await res.json()) as ImportJobView;
          return ['done', 'refused', 'failed'].includes(now.status) ? now : undefined;
        },
        { timeoutMs: 90_000 },
      );
    },

    /** The report's rows as text, below its header row. */
    async report(job: ImportJobView): Promise<{ header: string[]; rows: string[][] }> {
      const res = await fetch(`${h.apiUrl}${job.links.report}`, {
        headers: { authorization: `Bearer ${await tokenFor(people.filer)}` },
      });
      if (res.status !== 200) throw new Error(`report answered ${res.status}`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
      const rows: string[][] = [];
      book.worksheets[0]!.eachRow((row) =>
        rows.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v as string)))),
      );
      const [header = [], ...data] = rows;
      return { header, rows: data };
    },
  };
}
