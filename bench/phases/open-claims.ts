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

export interface OpenClaimsResult<P = undefined> {
  target: number;
  reached: number;
  /** The claims filed, in the order they entered the notice. */
  claimNos: string[];
  seconds: number;
  /** Latencies of the 100 operations before each milestone reached, and what the probe found there. */
  at: { open: number; start: Latencies; update: Latencies; probe: P }[];
  worker: { rssBeforeMb: number; rssAfterMb: number; idleCpuCores: number };
}

/** What a probe gets at a milestone, with the filling paused: the API, the claims waiting in notice (it may act on them). */
export interface Milestone {
  open: number;
  apiUrl: string;
  /** Claims in public notice, oldest first; a probe that moves one out of the notice removes it. */
  waiting: string[];
}

export async function measureOpenClaims<P = undefined>(
  stack: BenchStack,
  worker: Running,
  {
    target,
    budgetSeconds,
    concurrency,
    apiEnv = {},
    firstHousehold = 100_000,
    milestones = [100, 1_000, 10_000],
    probe,
  }: {
    target: number;
    budgetSeconds: number;
    concurrency: number;
    /** The API's environment beyond the stack's (the worker-scale bench's own task queue per run). */
    apiEnv?: NodeJS.ProcessEnv;
    /** Households of this run's own (a household's claims count towards its caps). */
    firstHousehold?: number;
    /** Open counts at which latencies are taken (and the probe runs, with the filling paused). */
    milestones?: number[];
    probe?: (at: Milestone) => Promise<P>;
  },
): Promise<OpenClaimsResult<P>> {
  const rssBefore = processUsage(worker.pid).rssBytes;
  const api = await stack.startApi({ CLAIM_NOTICE_PERIOD: '6h', ...apiEnv });
  const filer = await stack.token(people.filer);
  const village = await stack.token(people.village);
  const households = Array.from({ length: Math.ceil(target / LOSSES_PER_HOUSEHOLD) }, (_, i) =>
    benchHousehold(firstHousehold + i),
  );
  const samples: { open: number; start: number; update: number }[] = [];
  const waiting: string[] = [];
  const claimNos: string[] = [];
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
  /** Files and reviews claims until `upTo` are open (or the budget ends). */
  const fill = (upTo: number) =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < upTo && performance.now() < deadline) {
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
          waiting.push(filed.body.claimNo as string);
          claimNos.push(filed.body.claimNo as string);
          samples.push({ open, start, update });
          if (open % 500 === 0) console.log(`  open claims: ${open} (${Math.round((performance.now() - started) / 1000)} s)`);
        }
      }),
    );
  try {
    const at: OpenClaimsResult<P>['at'] = [];
    const around = (m: number) => samples.filter((s) => s.open > m - 100 && s.open <= m);
    for (const m of [...new Set([...milestones.filter((x) => x < target), target])].sort((a, b) => a - b)) {
      await fill(m);
      if (at.at(-1)?.open === open) break; // the budget ended before any more were filed
      await sleep(3_000); // the last notices start
      const found = probe ? await probe({ open, apiUrl: api.url, waiting }) : (undefined as P);
      at.push({
        open,
        start: latencies(around(open).map((s) => s.start)),
        update: latencies(around(open).map((s) => s.update)),
        probe: found,
      });
      if (open < m) break; // the budget ended before this milestone: the last figures are where it stopped
    }
    await sleep(2_000);
    const idleCpuCores = await cpuOver(worker.pid, 10);
    const rssAfter = processUsage(worker.pid).rssBytes;
    return {
      target,
      reached: open,
      claimNos,
      seconds: (performance.now() - started) / 1000,
      at,
      worker: { rssBeforeMb: rssBefore / 2 ** 20, rssAfterMb: rssAfter / 2 ** 20, idleCpuCores },
    };
  } finally {
    await api.stop();
  }
}
