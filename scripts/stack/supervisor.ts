import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { PROJECT_ROOT, deadProcesses, isStackRunning, readStackInfo, restartProcess, type StackProcess } from './local-stack';

/** One of our processes the supervisor runs: an entry point under node with tsx's loader. */
export interface ChildSpec {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
}

interface Supervised {
  spec: ChildSpec;
  child: ChildProcess | undefined;
  startedAt: number;
  restarts: number;
  log: WriteStream;
  timer: NodeJS.Timeout | undefined;
}

/** A child that ran this long before it died starts its backoff from the beginning. */
const HEALTHY_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

/** 1 s, 2 s, 4 s, … up to 30 s, for the n-th restart in a row. */
export const restartDelayMs = (restart: number) => Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.max(0, restart - 1));

/** Log levels the terminal shows, by pino's number and by name (our logger writes names). */
const SHOWN_LEVELS: Record<string, string> = {
  40: 'warn',
  50: 'error',
  60: 'fatal',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};
const LOG_LEVELS = new Set([10, 20, 30, 40, 50, 60, 'trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/**
 * What the terminal shows of a child's output line: warnings and errors (and anything that is not a JSON log line,
 * such as a crash's stack trace), one readable line each. Request logs and other info go only to the log file.
 */
export function terminalLine(name: string, line: string): string | undefined {
  if (line.trim() === '') return undefined;
  let entry: { level?: unknown; msg?: unknown; err?: { message?: unknown }; reason?: unknown } | undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    entry = typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return `[${name}] ${line}`;
  }
  const level = entry?.level;
  if (!entry || (typeof level !== 'number' && typeof level !== 'string') || !LOG_LEVELS.has(level)) return `[${name}] ${line}`;
  const shown = SHOWN_LEVELS[String(level)];
  if (!shown) return undefined;
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
  const detail = text(entry.err?.message) || text(entry.reason);
  return `[${name}] ${shown}: ${text(entry.msg)}${detail ? ` (${detail})` : ''}`;
}

/**
 * Runs our processes (API, worker, simulators) for `npm start`: each as its own process group (a Ctrl-C in the
 * terminal reaches the supervisor alone, which then stops them in order) with an IPC channel (a child whose
 * supervisor was killed, even with SIGKILL, stops itself). Output goes to .stack/<name>/logs/<child>.log, warnings
 * and errors to the terminal too. A child that dies is started again with backoff (1 s, 2 s, … 30 s), logged.
 */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private stopping = false;

  private readonly say: (line: string) => void;
  private readonly onSpawn: () => void;

  constructor(
    private readonly logDir: string,
    {
      say = (line: string) => console.error(line),
      onSpawn = () => {},
    }: { say?: (line: string) => void; onSpawn?: () => void } = {},
  ) {
    mkdirSync(logDir, { recursive: true });
    this.say = say;
    this.onSpawn = onSpawn;
  }

  start(spec: ChildSpec): void {
    const log = createWriteStream(join(this.logDir, `${spec.name.replace(/[^A-Za-z0-9_-]+/g, '-')}.log`), { flags: 'a' });
    const supervised: Supervised = { spec, child: undefined, startedAt: 0, restarts: 0, log, timer: undefined };
    this.children.push(supervised);
    this.spawn(supervised);
  }

  /** The pid of each running child, by name. */
  pids(): Record<string, number> {
    return Object.fromEntries(
      this.children.filter((s) => s.child?.pid && s.child.exitCode === null).map((s) => [s.spec.name, s.child!.pid!]),
    );
  }

  /** Stops every child, the last started first (the API before the worker and the simulators it calls). */
  async stopAll(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    for (const s of this.children) clearTimeout(s.timer);
    for (const s of [...this.children].reverse()) {
      const child = s.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    await Promise.all(this.children.map((s) => new Promise((resolve) => s.log.end(resolve))));
  }

  private spawn(s: Supervised): void {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, s.spec.entry)], {
      env: s.spec.env,
      cwd: PROJECT_ROOT,
      detached: true, // its own process group: the terminal's Ctrl-C is the supervisor's to handle
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    s.child = child;
    s.startedAt = Date.now();
    this.onSpawn();
    for (const stream of [child.stdout, child.stderr]) if (stream) this.follow(s, stream);
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const ranMs = Date.now() - s.startedAt;
      s.restarts = ranMs >= HEALTHY_AFTER_MS ? 1 : s.restarts + 1;
      const delay = restartDelayMs(s.restarts);
      this.say(
        `[fangpin] ${s.spec.name} exited (${signal ?? `code ${code}`}) after ${Math.round(ranMs / 1000)} s; ` +
          `restarting in ${delay / 1000} s (restart ${s.restarts})`,
      );
      s.timer = setTimeout(() => {
        if (!this.stopping) this.spawn(s);
      }, delay);
    });
  }

  private follow(s: Supervised, stream: Readable): void {
    createInterface({ input: stream }).on('line', (line) => {
      s.log.write(`${line}\n`);
      const shown = terminalLine(s.spec.name, line);
      if (shown) this.say(shown);
    });
  }
}

/**
 * Watches the local stack's servers (PostgreSQL, FerretDB, Temporal) every 2 s and starts one that died again in
 * place (same port, same data), with backoff, so the API and worker that point at it reconnect by themselves.
 */
export function watchServers(stackName: string, say: (line: string) => void = (line) => console.error(line)): () => void {
  const restarts: Partial<Record<StackProcess, { count: number; notBefore: number }>> = {};
  let busy = false;
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      const info = readStackInfo(stackName);
      if (!info || isStackRunning(info)) return;
      // in the stack's own order: PostgreSQL before the FerretDB in front of it
      for (const process of deadProcesses(info)) {
        const state = (restarts[process] ??= { count: 0, notBefore: 0 });
        if (Date.now() < state.notBefore) continue;
        try {
          if (await restartProcess(stackName, process)) say(`[fangpin] ${process} had stopped; started it again on its port`);
          state.count = 0;
        } catch (error) {
          state.count += 1;
          state.notBefore = Date.now() + restartDelayMs(state.count);
          say(
            `[fangpin] ${process} is down and did not start again (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ` +
              `next try in ${restartDelayMs(state.count) / 1000} s`,
          );
        }
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check(), 2_000);
  return () => clearInterval(timer);
}
