import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mongoose from 'mongoose';
import { Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import { pollUntil } from '../../common/poll';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { freePort } from './ports';
import { startPostgres, stopPostgres, type PostgresInfo } from './postgres';

/**
 * The local stack: the real Temporal dev server and FerretDB (SQLite backend), run from the binaries
 * scripts/provision-binaries.sh builds into .tools/bin. Everything binds to 127.0.0.1 on free ports;
 * state and logs live under .stack/<name>/. A second start of a running stack returns the running one.
 */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
const BIN = join(PROJECT_ROOT, '.tools', 'bin');

export type LocalService = 'temporal' | 'ferretdb';

export interface LocalStackOptions {
  name: string;
  services?: LocalService[];
  /** Keep data across restarts (Temporal history in SQLite; FerretDB always keeps its SQLite files). */
  persistent?: boolean;
  /** Serve the Temporal Web UI. */
  ui?: boolean;
  healthTimeoutMs?: number;
  /** FerretDB's backend: embedded SQLite (default) or Debian's PostgreSQL (FANGPIN_FERRETDB_BACKEND=postgresql). */
  backend?: 'sqlite' | 'postgresql';
}

export interface StackInfo {
  name: string;
  dir: string;
  mongodbUri?: string;
  temporalAddress?: string;
  temporalUiUrl?: string;
  pids: Partial<Record<LocalService, number>>;
  /** The PostgreSQL cluster behind FerretDB, when that backend was chosen. */
  postgres?: PostgresInfo;
  startedAt: string;
}

export function stackDir(name: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`invalid stack name: ${name}`);
  return join(PROJECT_ROOT, '.stack', name);
}

const infoPath = (name: string) => join(stackDir(name), 'stack.json');

export function readStackInfo(name: string): StackInfo | undefined {
  const path = infoPath(name);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as StackInfo;
}

/** True when `pid` is alive and is the binary we started (not a recycled pid). */
function isOurProcess(pid: number | undefined, service: LocalService): boolean {
  if (!pid) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(join(BIN, service));
  } catch {
    return false;
  }
}

export function isStackRunning(info: StackInfo): boolean {
  const entries = Object.entries(info.pids) as [LocalService, number][];
  return entries.length > 0 && entries.every(([service, pid]) => isOurProcess(pid, service));
}

export async function startLocalStack(options: LocalStackOptions): Promise<StackInfo> {
  const {
    name,
    services = ['temporal', 'ferretdb'],
    persistent = false,
    ui = false,
    healthTimeoutMs = 60_000,
    backend = process.env.FANGPIN_FERRETDB_BACKEND === 'postgresql' ? 'postgresql' : 'sqlite',
  } = options;
  const dir = stackDir(name);
  const existing = readStackInfo(name);
  if (existing && isStackRunning(existing)) return existing;
  if (existing) await stopLocalStack(name, { keepData: persistent });

  mkdirSync(join(dir, 'logs'), { recursive: true });
  const info: StackInfo = { name, dir, pids: {}, startedAt: new Date().toISOString() };
  try {
    if (services.includes('ferretdb')) {
      const port = await freePort();
      const dataDir = join(dir, 'ferretdb-data');
      mkdirSync(dataDir, { recursive: true });
      let handler = ['--handler=sqlite', `--sqlite-url=file:${dataDir}/`];
      if (backend === 'postgresql') {
        const postgres = await startPostgres(dir);
        info.postgres = { binDir: postgres.binDir, dataDir: postgres.dataDir, port: postgres.port };
        writeFileSync(infoPath(name), JSON.stringify(info, null, 2)); // so a failed start still stops the cluster
        handler = ['--handler=postgresql', `--postgresql-url=${postgres.url}`];
      }
      info.pids.ferretdb = launch('ferretdb', dir, [
        ...handler,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        `--debug-addr=127.0.0.1:${await freePort()}`,
        '--telemetry=disable',
        '--log-level=warn',
        '--log-format=json',
      ]);
      info.mongodbUri = `mongodb://127.0.0.1:${port}/fangpin`;
    }
    if (services.includes('temporal')) {
      const port = await freePort();
      const uiPort = ui ? await freePort() : undefined;
      const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
      args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
      if (persistent) args.push('--db-filename', join(dir, 'temporal.db'));
      for (const [key, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${key}=${type}`);
      info.pids.temporal = launch('temporal', dir, args);
      info.temporalAddress = `127.0.0.1:${port}`;
      if (uiPort) info.temporalUiUrl = `http://127.0.0.1:${uiPort}`;
    }
    writeFileSync(infoPath(name), JSON.stringify(info, null, 2));
    await Promise.all([
      info.mongodbUri ? waitForMongo(info, info.mongodbUri, healthTimeoutMs) : undefined,
      info.temporalAddress ? waitForTemporal(info, info.temporalAddress, healthTimeoutMs) : undefined,
    ]);
    return info;
  } catch (error) {
    await stopLocalStack(name, { keepData: persistent });
    throw error;
  }
}

export async function stopLocalStack(name: string, { keepData = true, timeoutMs = 15_000 } = {}): Promise<void> {
  const info = readStackInfo(name);
  if (info) {
    const running = (Object.entries(info.pids) as [LocalService, number][]).filter(([s, pid]) => isOurProcess(pid, s));
    for (const [, pid] of running) signalGroup(pid, 'SIGTERM');
    try {
      await pollUntil('the local stack to stop', () => (running.some(([s, pid]) => isOurProcess(pid, s)) ? undefined : true), {
        timeoutMs,
      });
    } catch {
      for (const [, pid] of running) signalGroup(pid, 'SIGKILL');
    }
    if (info.postgres) stopPostgres(info.postgres);
    rmSync(infoPath(name), { force: true });
  }
  if (!keepData) rmSync(stackDir(name), { recursive: true, force: true });
}

/** Stops one service of a running stack (the readiness test stops the database this way). */
export async function stopService(name: string, service: LocalService): Promise<void> {
  const info = readStackInfo(name);
  const pid = info?.pids[service];
  if (!pid || !isOurProcess(pid, service)) return;
  signalGroup(pid, 'SIGTERM');
  await pollUntil(`${service} to stop`, () => (isOurProcess(pid, service) ? undefined : true), { timeoutMs: 15_000 });
}

function launch(service: LocalService, dir: string, args: string[]): number {
  const binary = join(BIN, service);
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/provision-binaries.sh ${service}`);
  const logFd = openSync(join(dir, 'logs', `${service}.log`), 'a');
  const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${service}`);
  return child.pid;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function logTail(dir: string, service: LocalService): string {
  try {
    return readFileSync(join(dir, 'logs', `${service}.log`), 'utf8')
      .split('\n')
      .slice(-15)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

function assertAlive(info: StackInfo, service: LocalService): void {
  if (!isOurProcess(info.pids[service], service)) {
    throw new Error(`${service} exited during start-up. Last log lines:\n${logTail(info.dir, service)}`);
  }
}

async function waitForMongo(info: StackInfo, uri: string, timeoutMs: number): Promise<void> {
  await pollUntil(
    'FerretDB to answer ping',
    async () => {
      assertAlive(info, 'ferretdb');
      const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1_000 });
      try {
        await conn.asPromise();
        await conn.db?.command({ ping: 1 });
        return true;
      } finally {
        await conn.close();
      }
    },
    { timeoutMs, intervalMs: 200 },
  );
}

async function waitForTemporal(info: StackInfo, address: string, timeoutMs: number): Promise<void> {
  await pollUntil(
    'Temporal to report SERVING',
    async () => {
      assertAlive(info, 'temporal');
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        const health = await connection.withDeadline(Date.now() + 1_000, () => connection.healthService.check({}));
        return health.status === grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING ? true : undefined;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs, intervalMs: 200 },
  );
}
