/**
 * Scale of open work: claims filed and reviewed into the public-notice stage (a long notice, so they stay there),
 * up to a target count or a time budget. Start (filing) and update (village review) latency are sampled as the open
 * count grows; the worker's RSS and CPU are read from /proc with all of them waiting.
 */
import type { Actor } from '../../workflows/claim/types';
import { benchHousehold, call, people, propertyClaim, uploadFiles } from '../claims';
import { cpuOver, latencies, processUsage, type Latencies } from '../measure';
import type { BenchStack, Running } from '../stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOSSES_PER_HOUSEHOLD = 170;

export interface OpenClaimsResult {
  target: number;
  reached: number;
  seconds: number;
  /** Latencies of the 100 operations around each milestone reached. */
  at: { open: number; start: Latencies; update: Latencies }[];
  worker: { rssBeforeMb: number; rssAfterMb: number; idleCpuCores: number };
}

export async function measureOpenClaims(
  stack: BenchStack,
  worker: Running,
  {
    target,
    budgetSeconds,
    concurrency,
    apiEnv = {},
    firstHousehold = 100_000,
  }: {
    target: number;
    budgetSeconds: number;
    concurrency: number;
    /** The API's environment beyond the stack's (the worker-scale bench's own task queue per run). */
    apiEnv?: NodeJS.ProcessEnv;
    /** Households of this run's own (a household's claims count towards its caps). */
    firstHousehold?: number;
  },
): Promise<OpenClaimsResult> {
  const rssBefore = processUsage(worker.pid).rssBytes;
  const api = await stack.startApi({ CLAIM_NOTICE_PERIOD: '6h', ...apiEnv });
  const filer = await stack.token(people.filer);
  const village = await stack.token(people.village);
  const households = Array.from({ length: Math.ceil(target / LOSSES_PER_HOUSEHOLD) }, (_, i) =>
    benchHousehold(firstHousehold + i),
  );
  const samples: { open: number; start: number; update: number }[] = [];
  let open = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + budgetSeconds * 1000;
  const registered = new Map<number, Promise<unknown>>();
  const review = async (claimNo: string, actor: Actor, token: string) => {
    for (;;) {
      const t = performance.now();
      const res = await call(api.url, token, 'POST', `/claims/${claimNo}/actions/review`, {});
      if (res.status === 200) return performance.now() - t;
      if (res.status !== 409) throw new Error(`review ${claimNo} by ${actor.userId}: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(100);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < target && performance.now() < deadline) {
          const i = next++;
          const h = Math.floor(i / LOSSES_PER_HOUSEHOLD);
          const household = households[h]!;
          if (!registered.has(h))
            registered.set(h, call(api.url, filer, 'PUT', `/households/${household.householdId}`, household));
          await registered.get(h);
          const claim = propertyClaim(household, i % LOSSES_PER_HOUSEHOLD);
          await uploadFiles(api.url, filer, claim.documents);
          const t = performance.now();
          const filed = await call(api.url, filer, 'POST', '/claims', claim);
          if (filed.status !== 202) throw new Error(`filing: ${filed.status} ${JSON.stringify(filed.body)}`);
          const start = performance.now() - t;
          const update = await review(filed.body.claimNo as string, people.village, village);
          open += 1;
          samples.push({ open, start, update });
          if (open % 500 === 0) console.log(`  open claims: ${open} (${Math.round((performance.now() - started) / 1000)} s)`);
        }
      }),
    );
    await sleep(5_000); // let the last notices start
    const idleCpuCores = await cpuOver(worker.pid, 10);
    const rssAfter = processUsage(worker.pid).rssBytes;
    const milestones = [100, 1_000, 10_000, open].filter((m, i, all) => m <= open && all.indexOf(m) === i);
    const around = (m: number) => samples.filter((s) => s.open > m - 100 && s.open <= m);
    return {
      target,
      reached: open,
      seconds: (performance.now() - started) / 1000,
      at: milestones.map((m) => ({
        open: m,
        start: latencies(around(m).map((s) => s.start)),
        update: latencies(around(m).map((s) => s.update)),
      })),
      worker: { rssBeforeMb: rssBefore / 2 ** 20, rssAfterMb: rssAfter / 2 ** 20, idleCpuCores },
    };
  } finally {
    await api.stop();
  }
}
