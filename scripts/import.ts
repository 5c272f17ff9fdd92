/**
 * `npm run import -- roster|claims <file.xlsx> [--valid-rows] [--report <out.xlsx>]`: imports a household roster or
 * a batch of claims through the API (the same job, rules and report as the workbench's Excel page), printing its
 * progress, and saves the per-row report. The API is FANGPIN_URL (default: the running `npm start`); the caller is FANGPIN_TOKEN, a staff token from
 * `npm run mint-token` or `POST /session`. Exit code 0 when the file was imported, 1 when it was not.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stackDir } from './stack/local-stack';

interface Job {
  id: string;
  status: string;
  totalRows: number | null;
  doneRows: number;
  counts: Record<string, number>;
  problem: { zh: string; en: string } | null;
  links: { report?: string };
}

const KINDS = {
  roster: {
    outcomes: { created: '新增', updated: '已更新', pending: '待审核', unchanged: '未变更', refused: '有误', skipped: '未导入' },
    validRows: '只导入正确的户',
  },
  claims: {
    outcomes: { filed: '已报案', unchanged: '此前已报案', refused: '有误', skipped: '未报案' },
    validRows: '只报案正确的行',
  },
} as const;

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: FANGPIN_TOKEN=… npm run import -- roster|claims <file.xlsx> [--valid-rows] [--report <out.xlsx>]');
  process.exit(2);
}

function apiUrl(): string {
  if (process.env.FANGPIN_URL) return process.env.FANGPIN_URL.replace(/\/$/, '');
  const file = join(stackDir('dev'), 'service.json');
  if (!existsSync(file)) usage('fangpin is not running here: start it with `npm start`, or set FANGPIN_URL');
  return (JSON.parse(readFileSync(file, 'utf8')) as { apiUrl: string }).apiUrl;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [kind, path] = args;
  if ((kind !== 'roster' && kind !== 'claims') || !path) usage();
  const { outcomes, validRows } = KINDS[kind];
  if (!existsSync(path)) usage(`no such file: ${path}`);
  const token = process.env.FANGPIN_TOKEN;
  if (!token) usage('set FANGPIN_TOKEN to a staff token (npm run mint-token -- village 341324105003 <userId>)');
  const reportAt = args.includes('--report') ? args[args.indexOf('--report') + 1] : undefined;
  if (args.includes('--report') && !reportAt) usage('--report needs a file name');
  const mode = args.includes('--valid-rows') ? 'valid_rows' : 'all_or_nothing';
  const api = apiUrl();
  const headers = { authorization: `Bearer ${token}` };

  const started = await fetch(`${api}/imports/${kind}?mode=${mode}&fileName=${encodeURIComponent(basename(path))}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: readFileSync(path),
  });
  if (started.status !== 202) {
    const problem = (await started.json().catch(() => ({}))) as { detail?: string };
    console.error(`导入未开始 not started (${started.status}): ${problem.detail ?? started.statusText}`);
    process.exit(1);
  }
  let job = (await started.json()) as Job;
  console.log(`导入任务 import ${job.id}: ${basename(path)} (${mode === 'valid_rows' ? validRows : '全部正确才导入'})`);
  let said = '';
  while (!['done', 'refused', 'failed'].includes(job.status)) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    job = (await (await fetch(`${api}/imports/${job.id}`, { headers })).json()) as Job;
    const line =
      job.status === 'checking'
        ? `检查中 checking: ${job.doneRows} 行 rows`
        : job.status === 'importing'
          ? `导入中 importing: ${job.doneRows} / ${job.totalRows ?? '?'} 行 rows`
          : job.status;
    if (line !== said) console.log(`  ${line}`);
    said = line;
  }
  if (job.problem) console.log(`未导入 not imported: ${job.problem.zh} ${job.problem.en}`);
  console.log(
    `${job.status === 'done' ? '已完成 done' : '未导入 not imported'}: ${Object.entries(outcomes)
      .map(([k, zh]) => `${zh} ${job.counts[k] ?? 0}`)
      .join('，')}`,
  );
  if (job.links.report) {
    const out = reportAt ?? `${basename(path).replace(/\.xlsx$/i, '')}-导入结果.xlsx`;
    writeFileSync(out, Buffer.from(await (await fetch(`${api}${job.links.report}`, { headers })).arrayBuffer()));
    console.log(`逐行结果 report: ${out}`);
  }
  process.exit(job.status === 'done' ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
