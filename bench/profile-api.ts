/**
 * `npm run bench:profile-api`: where the API process spends its CPU on the two requests the bench finds costly —
 * filing a claim (`POST /claims`) and reading one with its timeline (`GET /claims/{no}`). Runs the API under V8's
 * sampling profiler (`--cpu-prof`) on the bench's own servers, offers each request for BENCH_PROFILE_SECONDS (8) from
 * BENCH_PROFILE_CONNECTIONS (1) connections, and prints the CPU per request and the functions and packages with the most
 * self time. The raw profiles stay in bench/results/profiles/ (open them in Chrome DevTools' Performance panel).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { pollUntil } from '../common/poll';
import { PROJECT_ROOT } from '../scripts/stack/local-stack';
import { benchHousehold, call, people, propertyClaim, uploadFiles } from './claims';
import { monotonicUs, summarize, type CpuProfile, type Window } from './cpu-profile';
import { processUsage } from './measure';
import { startBenchStack } from './stack';

/** FerretDB's metrics address (its --debug-addr), found from the command line of the process serving `mongodbUri`. */
function ferretDbMetricsUrl(mongodbUri: string): string | undefined {
  const port = /:(\d+)\//.exec(mongodbUri)?.[1];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!args.some((a) => a === `--listen-addr=127.0.0.1:${port}`)) continue;
    const debug = args.find((a) => a.startsWith('--debug-addr='));
    if (debug) return `http://${debug.slice('--debug-addr='.length)}/debug/metrics`;
  }
  return undefined;
}

/** The MongoDB commands FerretDB has answered so far, by command name (empty when its metrics cannot be read). */
async function commandsServed(metricsUrl: string | undefined): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (!metricsUrl) return counts;
  const text = await (await fetch(metricsUrl)).text();
  for (const m of text.matchAll(/^ferretdb_unstable_client_requests_total\{command="([^"]+)"[^}]*\} (\d+)$/gm))
    counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + Number(m[2]));
  return counts;
}

const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 8);
// one connection by default: the API is then rarely waiting for a core, so the sampled time is close to its CPU time
const connections = Number(process.env.BENCH_PROFILE_CONNECTIONS ?? 1);
const profileDir = join(PROJECT_ROOT, 'bench', 'results', 'profiles');

async function profiled(
  name: string,
  start: (env: NodeJS.ProcessEnv, nodeArgs: string[]) => Promise<{ pid: number; url: string; stop(): Promise<void> }>,
  prepare: (url: string) => Promise<() => autocannon.Options>,
  metricsUrl: string | undefined,
): Promise<void> {
  const dir = join(profileDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const api = await start({}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  let requests = 0;
  let cpuMs = 0;
  const window: Window = { fromUs: 0, toUs: 0 };
  try {
    const options = await prepare(api.url);
    const before = processUsage(api.pid).cpuSeconds;
    const commandsBefore = await commandsServed(metricsUrl);
    window.fromUs = monotonicUs();
    const result = await autocannon(options());
    window.toUs = monotonicUs();
    cpuMs = (processUsage(api.pid).cpuSeconds - before) * 1000;
    const commandsAfter = await commandsServed(metricsUrl);
    requests = result['2xx'];
    const perRequest = [...commandsAfter]
      .map(([command, n]) => [command, (n - (commandsBefore.get(command) ?? 0)) / Math.max(1, requests)] as const)
      .filter(([, n]) => n >= 0.05);
    console.log(
      `\n${name}: ${requests} answered 2xx (${result.non2xx} other) in ${result.duration} s, ` +
        `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; API CPU ${(cpuMs / Math.max(1, requests)).toFixed(2)} ms per request`,
    );
    if (metricsUrl)
      console.log(`  database commands per request: ${perRequest.map(([c, n]) => `${c} ${n.toFixed(2)}`).join(', ') || 'none'}`);
  } finally {
    await api.stop();
  }
  const file = await pollUntil(
    'the CPU profile',
    () => Promise.resolve(readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))),
    {
      timeoutMs: 30_000,
      intervalMs: 200,
    },
  );
  summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, window, 25);
}

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const worker = stack.startWorker();
  const metricsUrl = ferretDbMetricsUrl(stack.servers.mongodbUri);
  try {
    const filer = await stack.token(people.filer);
    const household = benchHousehold(0);
    const claimNos: string[] = [];
    const body = JSON.stringify(propertyClaim(household, 0));
    const headers = { authorization: `Bearer ${filer}`, 'content-type': 'application/json' };

    // claims to read, filed on the worker's task queue and waited for in the read model
    await profiled(
      'get-claim',
      (env, nodeArgs) => stack.startApi(env, nodeArgs),
      async (url) => {
        const put = await call(url, filer, 'PUT', `/households/${household.householdId}`, household);
        if (put.status >= 300) throw new Error(`could not register the bench household: ${JSON.stringify(put.body)}`);
        await uploadFiles(url, filer, propertyClaim(household, 0).documents);
        for (let i = 0; i < 20; i++) {
          const filed = await call(url, filer, 'POST', '/claims', JSON.parse(body));
          claimNos.push(String(filed.body.claimNo));
        }
        for (const claimNo of claimNos)
          await pollUntil(
            `claim ${claimNo} in the read model`,
            async () => ((await call(url, filer, 'GET', `/claims/${claimNo}`)).status === 200 ? true : undefined),
            { timeoutMs: 60_000, intervalMs: 200 },
          );
        let i = 0;
        return () => ({
          url,
          connections,
          duration: seconds,
          headers,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/claims/${claimNos[i++ % claimNos.length]}` }) }],
        });
      },
      metricsUrl,
    );

    // filings on a task queue no worker polls, as the bench's intake phase: only the API's side of a filing runs
    await profiled(
      'post-claims',
      (env, nodeArgs) => stack.startApi({ ...env, TEMPORAL_TASK_QUEUE: 'bench-profile-unpolled' }, nodeArgs),
      (url) => Promise.resolve(() => ({ url: `${url}/claims`, method: 'POST', connections, duration: seconds, headers, body })),
      metricsUrl,
    );
  } finally {
    await worker.stop();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
