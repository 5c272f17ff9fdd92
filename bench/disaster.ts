/**
 * `npm run bench:disaster`: one flood over the villages of 5,000 enrolled households (BENCH_DISASTER_HOUSEHOLDS),
 * their losses entered and filed as one batch through a real API and worker, beside its baseline in the same run:
 * the same kind of claims filed by `POST /claims` at the batch's own concurrency (4). Prints claims per second of
 * each, the time to enter the losses, and the API's and worker's resident memory at the end.
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../common/poll';
import { addDays, shanghaiDateOf } from '../domain/dates';
import { claimInputFor, type DisasterEvent, type LossEntry } from '../domain/disaster';
import { SIXIAN_PRODUCTS } from '../domain/products';
import { syntheticHouseholds } from '../domain/synthetic';
import { PROJECT_ROOT } from '../scripts/stack/local-stack';
import { startBenchStack } from './stack';

const HOUSEHOLDS = Number(process.env.BENCH_DISASTER_HOUSEHOLDS ?? 5_000);
const BASELINE = Number(process.env.BENCH_DISASTER_BASELINE ?? 200);
const county = { userId: 'bench-county', role: 'county' as const, jurisdiction: '341324', name: '县级' };

const rssMiB = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function main(): Promise<void> {
  const started = Date.now();
  const step = (text: string) => console.log(`[bench:disaster ${Math.round((Date.now() - started) / 1000)} s] ${text}`);
  const stack = await startBenchStack();
  const api = await stack.startApi();
  const worker = stack.startWorker();
  try {
    const headers = { authorization: `Bearer ${await stack.token(county)}`, 'content-type': 'application/json' };
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${api.url}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const eventDate = addDays(shanghaiDateOf(new Date()), -1);
    step(`registering ${HOUSEHOLDS + BASELINE} households`);
    // every household enrolled in the optional property line too (the event concerns it), from the line's period start
    const propertyStart = SIXIAN_PRODUCTS.find((p) => p.policyYear === 2026)!.lines.property!.period.start;
    const all = [...syntheticHouseholds(HOUSEHOLDS + BASELINE, { seed: 303, policyYear: 2026, products: SIXIAN_PRODUCTS })].map(
      (h) =>
        h.enrollments.some((e) => e.policyYear === 2026 && e.line === 'property')
          ? h
          : { ...h, enrollments: [...h.enrollments, { policyYear: 2026, line: 'property' as const, enrolledOn: propertyStart }] },
    );
    for (let i = 0; i < all.length; i += 8)
      await Promise.all(all.slice(i, i + 8).map((h) => call('PUT', `/households/${h.householdId}`, h)));
    const [baselineHouseholds, eventHouseholds] = [all.slice(0, BASELINE), all.slice(BASELINE)];
    const lossOf = (h: (typeof all)[number], i: number): LossEntry => ({
      line: 'property',
      householdId: h.householdId,
      assessedLossFen: 100_000 + (i % 40) * 10_000,
      documents: [],
    });

    step(`baseline: ${BASELINE} claims by POST /claims, 4 at a time`);
    const villages = [...new Set(all.map((h) => h.divisionCode))];
    const probe: DisasterEvent = {
      eventId: 'DZ-00000000-000000',
      type: 'flood',
      name: '基准',
      eventDate,
      villages,
      lines: ['property'],
      declaredBy: county,
      jurisdiction: '341324',
      declaredAt: new Date().toISOString(),
    };
    const queue = baselineHouseholds.map((h, i) =>
      claimInputFor(probe, lossOf(h, i), h.members[0]!.memberId, shanghaiDateOf(new Date())),
    );
    const baselineStart = Date.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let claim = queue.shift(); claim; claim = queue.shift()) await call('POST', '/claims', claim);
      }),
    );
    const baselineSeconds = (Date.now() - baselineStart) / 1000;

    step(`the event over ${villages.length} villages: ${HOUSEHOLDS} losses entered`);
    const event = await call<DisasterEvent>('POST', '/disasters', {
      type: 'flood',
      name: '全县暴雨内涝（基准测试）',
      eventDate,
      villages: villages.slice(0, 500),
      lines: ['property'],
    });
    const enterStart = Date.now();
    const entries = eventHouseholds.filter((h) => event.villages.includes(h.divisionCode)).map(lossOf);
    let entered = 0;
    for (let i = 0; i < entries.length; i += 1_000) {
      const answer = await call<{ counts: { entered: number } }>('POST', `/disasters/${event.eventId}/losses`, {
        entries: entries.slice(i, i + 1_000),
      });
      entered += answer.counts.entered;
    }
    const enterSeconds = (Date.now() - enterStart) / 1000;
    step(`${entered} entered in ${enterSeconds.toFixed(1)} s; filing the batch`);
    const fileStart = Date.now();
    const job = await call<{ id: string }>('POST', `/disasters/${event.eventId}/file`);
    const done = await pollUntil(
      'the batch',
      async () => {
        const now = await call<{ status: string; counts: Record<string, number> }>('GET', `/imports/${job.id}`);
        return now.status === 'done' ? now : undefined;
      },
      { timeoutMs: 7_200_000, intervalMs: 1_000 },
    );
    const fileSeconds = (Date.now() - fileStart) / 1000;
    const filed = done.counts.filed ?? 0;
    step(`batch: ${JSON.stringify(done.counts)} in ${fileSeconds.toFixed(1)} s`);

    const lines = [
      `# Disaster batch (${new Date().toISOString()})`,
      '',
      `${entered} households' property losses in one event, one API process and one worker, FerretDB/DocumentDB, Temporal dev server.`,
      '',
      '| figure | ours | baseline | ratio |',
      '|---|---|---|---|',
      `| claims filed per second (batch job, 4 at a time) | ${(filed / fileSeconds).toFixed(1)}/s (${filed} in ${fileSeconds.toFixed(0)} s) | ${(BASELINE / baselineSeconds).toFixed(1)}/s POST /claims, 4 at a time (${BASELINE}) | ${(filed / fileSeconds / (BASELINE / baselineSeconds)).toFixed(2)}× |`,
      `| losses entered per second (checked with the claim rules) | ${(entered / enterSeconds).toFixed(0)}/s | | |`,
      `| resident memory at the end: API, worker | ${rssMiB(api.pid).toFixed(0)} MiB, ${rssMiB(worker.pid).toFixed(0)} MiB | | |`,
    ];
    const report = lines.join('\n');
    console.log(`\n${report}\n`);
    mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'disaster-latest.md'), `${report}\n`);
  } finally {
    await worker.stop();
    await api.stop();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
