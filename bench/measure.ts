/** Measurement helpers for the benchmarks: percentiles, closed-loop load, process sampling. */
import { readdirSync, readFileSync } from 'node:fs';

export interface Latencies {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function latencies(samplesMs: number[]): Latencies {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean };
}

/**
 * Runs `operation` from `concurrency` loops for `seconds`; returns completed operations per second and latencies.
 * Failures count separately and do not end the run.
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  operation: (i: number) => Promise<unknown>,
): Promise<{ perSecond: number; latency: Latencies; samples: number[]; failures: number; lastError?: string }> {
  const samples: number[] = [];
  let failures = 0;
  let lastError: string | undefined;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          await operation(next++);
          samples.push(performance.now() - t);
        } catch (error) {
          failures += 1;
          lastError = error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    perSecond: samples.length / elapsed,
    latency: latencies(samples),
    samples,
    failures,
    ...(lastError ? { lastError } : {}),
  };
}

/**
 * Offers `rate` operations per second for `seconds` (open loop, at most `maxInFlight` at once: when the server cannot
 * keep up, the achieved rate says so). Latency is measured from each operation's scheduled start.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  maxInFlight: number,
  operation: (i: number) => Promise<unknown>,
): Promise<{ offered: number; achieved: number; latency: Latencies; samples: number[]; failures: number; skipped: number }> {
  const samples: number[] = [];
  let failures = 0;
  let skipped = 0;
  let inFlight = 0;
  const running: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= maxInFlight) {
      skipped += 1;
      continue;
    }
    inFlight += 1;
    running.push(
      operation(i)
        .then(
          () => void samples.push(performance.now() - due),
          () => void (failures += 1),
        )
        .finally(() => (inFlight -= 1)),
    );
  }
  await Promise.all(running);
  const elapsed = (performance.now() - started) / 1000;
  return { offered: rate, achieved: samples.length / elapsed, latency: latencies(samples), samples, failures, skipped };
}

/** Resident memory and CPU time of a process, read from /proc (Linux). */
export function processUsage(pid: number): { rssBytes: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // fields after the command name (which may contain spaces): utime is field 14, stime 15 (1-based)
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssBytes: rssKb * 1024, cpuSeconds: ticks / 100 };
}

/**
 * CPU seconds used so far by every process on the machine whose command is one of `commands` (the children they
 * reaped included: PostgreSQL's exited backends count in the postmaster's), read from /proc. The bench's servers are
 * the only ones on an idle machine.
 */
export function cpuOfCommands(commands: readonly string[]): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries(commands.map((c) => [c, 0]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (!(command in totals)) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime: fields 14–17 (1-based)
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    totals[command] = (totals[command] ?? 0) + ticks / 100;
  }
  return totals;
}

/** The bench's servers, by the command name their processes run under. */
export const SERVER_COMMANDS = ['ferretdb', 'postgres', 'temporal'] as const;

/**
 * The CPU seconds spent while `run` runs: by each process in `pids` (by name), by the bench's servers (by command) and
 * by the bench itself (`loadGenerator`). Where a phase's cost goes, beside its baseline's.
 */
export async function cpuDuring<T>(
  pids: Record<string, number>,
  run: () => Promise<T>,
): Promise<{ result: T; cpuSeconds: Record<string, number> }> {
  const processes = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processUsage(pid).cpuSeconds]));
  const before = { ...processes(), ...cpuOfCommands(SERVER_COMMANDS) };
  const own = process.cpuUsage();
  const result = await run();
  const after = { ...processes(), ...cpuOfCommands(SERVER_COMMANDS) };
  const ownAfter = process.cpuUsage(own);
  const cpuSeconds: Record<string, number> = Object.fromEntries(
    Object.entries(after).map(([name, seconds]) => [name, seconds - (before[name] ?? 0)]),
  );
  cpuSeconds.loadGenerator = (ownAfter.user + ownAfter.system) / 1e6;
  return { result, cpuSeconds };
}

/**
 * Waits until the bench's servers are idle (under `cores` of CPU, together, for three seconds in a row; at most
 * `maxSeconds`): after a bulk fill PostgreSQL's autovacuum and analyze run for a while, and latencies measured over
 * them measure the fill's aftermath. Returns the seconds waited.
 */
export async function waitForIdleServers({ cores = 0.1, maxSeconds = 180 } = {}): Promise<number> {
  const started = performance.now();
  const total = () => Object.values(cpuOfCommands(SERVER_COMMANDS)).reduce((sum, seconds) => sum + seconds, 0);
  let quiet = 0;
  while (quiet < 3 && performance.now() - started < maxSeconds * 1000) {
    const before = total();
    await new Promise((r) => setTimeout(r, 1000));
    quiet = total() - before < cores ? quiet + 1 : 0;
  }
  return (performance.now() - started) / 1000;
}

/** Average CPU use (in cores) of a process over `seconds`. */
export async function cpuOver(pid: number, seconds: number): Promise<number> {
  const before = processUsage(pid).cpuSeconds;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return (processUsage(pid).cpuSeconds - before) / seconds;
}

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
