import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mongoose from 'mongoose';
import { Connection } from '@temporalio/client';
import { grpc } from '@temporalio/proto';
import { pollUntil } from '../../common/poll';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { PortBook } from './ports';
import { runsBinary, signalGroup } from './processes';
import { postgresUrl, postmasterPid, startPostgres, stopPostgres, type PostgresInfo } from './postgres';
import { clusterRunning, readClusterInfo, startTemporalCluster, stopTemporalCluster } from './temporal-cluster';

/**
 * The local stack: the real Temporal dev server, and the database — FerretDB v2 in front of a PostgreSQL cluster
 * of the stack's own with the DocumentDB extension — run from what scripts/provision.sh installs. Everything binds to
 * 127.0.0.1 on free ports; state and logs live under .stack/<name>/. A second start of a running stack returns it.
 */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
const BIN = join(PROJECT_ROOT, '.tools', 'bin');

/** What a caller asks for: the Temporal server, and the MongoDB-compatible database. */
export type LocalService = 'temporal' | 'database';
/** The processes the stack runs: the database is two of them. */
export type StackProcess = 'temporal' | 'postgres' | 'ferretdb';

export interface LocalStackOptions {
  name: string;
  services?: LocalService[];
  /** Keep data across restarts, durably (npm start): Temporal history in a file, PostgreSQL with fsync. */
  persistent?: boolean;
  /** Serve the Temporal Web UI. */
  ui?: boolean;
  healthTimeoutMs?: number;
  /**
   * Which Temporal: the CLI's dev server (one process, the default), or a real cluster of the Temporal server's
   * services on PostgreSQL (scripts/stack/temporal-cluster.ts). Default: FANGPIN_TEMPORAL, else `dev`.
   */
  temporal?: TemporalMode;
}

export type TemporalMode = 'dev' | 'cluster';

export function temporalModeOf(env: NodeJS.ProcessEnv = process.env): TemporalMode {
  const mode = env.FANGPIN_TEMPORAL || 'dev';
  if (mode !== 'dev' && mode !== 'cluster') throw new Error(`FANGPIN_TEMPORAL must be dev or cluster, not ${mode}`);
  return mode;
}

export interface StackInfo {
  name: string;
  dir: string;
  mongodbUri?: string;
  temporalAddress?: string;
  temporalUiUrl?: string;
  pids: Partial<Record<StackProcess, number>>;
  /** How each process was started, so a stopped one can be started again in place (same ports, same data). */
  commands: Partial<Record<'temporal' | 'ferretdb', string[]>>;
  postgres?: PostgresInfo & { durable: boolean };
  /** Temporal runs as a cluster (its state: temporal-cluster.json in the stack's directory). */
  temporalCluster?: boolean;
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

const writeStackInfo = (info: StackInfo) => writeFileSync(infoPath(info.name), JSON.stringify(info, null, 2));

function executable(info: StackInfo, process: StackProcess): string {
  return process === 'postgres' ? join(info.postgres?.binDir ?? '', 'postgres') : join(BIN, process);
}

/** True when `pid` is alive and runs the binary we started (not a recycled pid). */
function isOurProcess(info: StackInfo, process: StackProcess, pid = info.pids[process]): boolean {
  return runsBinary(pid, executable(info, process));
}

const processesOf = (info: StackInfo) => Object.keys(info.pids) as StackProcess[];

/** The stack's processes that are not running. */
export function deadProcesses(info: StackInfo): StackProcess[] {
  return processesOf(info).filter((p) => !isOurProcess(info, p));
}

export function isStackRunning(info: StackInfo): boolean {
  const processes = processesOf(info);
  const cluster = readClusterInfo(info.dir);
  if (info.temporalCluster && !(cluster && clusterRunning(cluster))) return false;
  return (processes.length > 0 || !!info.temporalCluster) && processes.every((p) => isOurProcess(info, p));
}

export async function startLocalStack(options: LocalStackOptions): Promise<StackInfo> {
  const { name, services = ['temporal', 'database'], persistent = false, ui = false, healthTimeoutMs = 60_000 } = options;
  const temporalMode = options.temporal ?? temporalModeOf();
  const dir = stackDir(name);
  const existing = readStackInfo(name);
  const sameTemporal = !!existing?.temporalCluster === (temporalMode === 'cluster');
  if (existing && sameTemporal && isStackRunning(existing)) return existing;
  // some of its processes died (a crash, a reboot): start those again in place, same ports and data
  if (existing && sameTemporal && !existing.temporalCluster && persistent && (await reviveInPlace(existing, healthTimeoutMs)))
    return existing;
  if (existing) await stopLocalStack(name, { keepData: persistent });

  mkdirSync(join(dir, 'logs'), { recursive: true });
  const ports = new PortBook(dir);
  const info: StackInfo = { name, dir, pids: {}, commands: {}, startedAt: new Date().toISOString() };
  try {
    if (services.includes('database')) {
      const pgPort = await withFreshPortOnRace(ports, 'postgres', (port) => {
        const postgres = startPostgres(dir, port, { durable: persistent });
        info.postgres = {
          binDir: postgres.binDir,
          dataDir: postgres.dataDir,
          runDir: postgres.runDir,
          port,
          durable: persistent,
        };
        info.pids.postgres = postmasterPid(postgres);
        writeStackInfo(info); // so a failed start still stops the cluster
      });
      await withFreshPortOnRace(ports, 'ferretdb', async (port) => {
        info.commands.ferretdb = [
          `--postgresql-url=${postgresUrl(pgPort)}`,
          `--listen-addr=127.0.0.1:${port}`,
          `--debug-addr=127.0.0.1:${await ports.take('ferretdb-debug')}`,
          `--state-dir=${dir}`,
          '--no-auth', // loopback development server; a deployment's MongoDB has its own authentication
          '--telemetry=disable',
          '--log-level=warn',
          '--log-format=json',
        ];
        info.pids.ferretdb = launch('ferretdb', dir, info.commands.ferretdb);
        info.mongodbUri = `mongodb://127.0.0.1:${port}/fangpin`;
        writeStackInfo(info);
        await waitForMongo(info, info.mongodbUri, healthTimeoutMs);
      });
    }
    if (services.includes('temporal') && temporalMode === 'cluster') {
      info.temporalCluster = true;
      writeStackInfo(info);
      const cluster = await startTemporalCluster({
        dir,
        durable: persistent,
        healthTimeoutMs: Math.max(healthTimeoutMs, 120_000),
      });
      info.temporalAddress = cluster.address;
    } else if (services.includes('temporal')) {
      await withFreshPortOnRace(ports, 'temporal', async (port) => {
        const uiPort = ui ? await ports.take('temporal-ui') : undefined;
        // every port it binds comes from the book: left to itself it picks its HTTP and metrics ports at random from
        // the ephemeral range, and one taken by then makes the whole server exit
        const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
        args.push('--http-port', String(await ports.take('temporal-http')));
        args.push('--metrics-port', String(await ports.take('temporal-metrics')));
        args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
        if (persistent) args.push('--db-filename', join(dir, 'temporal.db'));
        for (const [key, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${key}=${type}`);
        info.commands.temporal = args;
        info.pids.temporal = launch('temporal', dir, args);
        info.temporalAddress = `127.0.0.1:${port}`;
        if (uiPort) info.temporalUiUrl = `http://127.0.0.1:${uiPort}`;
        writeStackInfo(info);
        await waitForTemporal(info, info.temporalAddress, healthTimeoutMs);
      });
    }
    writeStackInfo(info);
    return info;
  } catch (error) {
    await stopLocalStack(name, { keepData: persistent });
    throw error;
  }
}

/** A server that exited during start-up (its port was taken between the check and the bind, say). */
class ExitedDuringStart extends Error {}

/**
 * Starts a server on its remembered port; when it exits at once (the port was taken meanwhile), starts it again on a
 * new free port, up to three times. Returns the port it serves on.
 */
async function withFreshPortOnRace(ports: PortBook, key: string, start: (port: number) => Promise<void> | void): Promise<number> {
  let port = await ports.take(key);
  for (let attempt = 1; ; attempt++) {
    try {
      await start(port);
      return port;
    } catch (error) {
      const raced = error instanceof ExitedDuringStart || (key === 'postgres' && /pg_ctl/.test(String(error)));
      if (!raced || attempt >= 3) throw error;
      console.error(`[fangpin] ${key} could not start on port ${port}; trying another port`);
      port = await ports.replace(key);
    }
  }
}

/** Starts the dead processes of a stack again with their own command lines; false when one cannot come back. */
async function reviveInPlace(info: StackInfo, healthTimeoutMs: number): Promise<boolean> {
  try {
    // in the order they were started: PostgreSQL before the FerretDB in front of it
    for (const p of deadProcesses(info)) {
      console.error(`[fangpin] ${p} of stack '${info.name}' is not running; starting it again on its port`);
      await restartProcess(info.name, p, healthTimeoutMs);
    }
    const revived = readStackInfo(info.name);
    if (!revived || !isStackRunning(revived)) return false;
    Object.assign(info, revived);
    return true;
  } catch (error) {
    console.error(
      `[fangpin] could not restart in place (${error instanceof Error ? error.message : String(error)}); starting afresh`,
    );
    return false;
  }
}

/**
 * Stops the stack's servers: SIGTERM, then SIGKILL to whatever still runs after `timeoutMs`. The Temporal dev server
 * takes ~13 s to stop gracefully; its SQLite file is transactional, so a kill after 5 s loses nothing.
 */
export async function stopLocalStack(name: string, { keepData = true, timeoutMs = 5_000 } = {}): Promise<void> {
  const info = readStackInfo(name);
  if (info) {
    const running = processesOf(info).filter((p) => p !== 'postgres' && isOurProcess(info, p));
    for (const p of running) signalGroup(info.pids[p] ?? 0, 'SIGTERM');
    try {
      await pollUntil('the local stack to stop', () => (running.some((p) => isOurProcess(info, p)) ? undefined : true), {
        timeoutMs,
      });
    } catch {
      for (const p of running) signalGroup(info.pids[p] ?? 0, 'SIGKILL');
    }
    if (info.postgres) stopPostgres(info.postgres);
    if (info.temporalCluster) await stopTemporalCluster(info.dir, { timeoutMs });
    rmSync(infoPath(name), { force: true });
  }
  if (!keepData) rmSync(stackDir(name), { recursive: true, force: true });
}

/**
 * Stops one process of a running stack: gracefully, or with SIGKILL as a crash would (the crash tests kill the
 * database's processes this way). Its data stays; `restartProcess` starts it again in place.
 */
export async function stopProcess(name: string, process: StackProcess, { kill = false } = {}): Promise<void> {
  const info = readStackInfo(name);
  const pid = info?.pids[process];
  if (!info || !pid || !isOurProcess(info, process)) return;
  if (process === 'postgres' && !kill && info.postgres) stopPostgres(info.postgres);
  else signalGroup(pid, kill ? 'SIGKILL' : 'SIGTERM');
  await pollUntil(`${process} to stop`, () => (isOurProcess(info, process, pid) ? undefined : true), { timeoutMs: 15_000 });
  if (process === 'postgres' && kill) await reapPostgresChildren(info);
}

/**
 * Starts a stopped process again with its first command line (same port, same data) and waits until it serves.
 * Returns false when it was running already.
 */
export async function restartProcess(name: string, process: StackProcess, healthTimeoutMs = 60_000): Promise<boolean> {
  const info = readStackInfo(name);
  if (!info) throw new Error(`stack '${name}' is not running`);
  if (isOurProcess(info, process)) return false;
  if (process === 'postgres') {
    if (!info.postgres) throw new Error(`stack '${name}' has no PostgreSQL`);
    info.pids.postgres = postmasterPid(startPostgres(info.dir, info.postgres.port, { durable: info.postgres.durable }));
  } else {
    const args = info.commands[process];
    if (!args) throw new Error(`stack '${name}' has no ${process}`);
    info.pids[process] = launch(process, info.dir, args);
  }
  writeStackInfo(info);
  if (process === 'temporal' && info.temporalAddress) await waitForTemporal(info, info.temporalAddress, healthTimeoutMs);
  else if (process === 'ferretdb' && info.mongodbUri) await waitForMongo(info, info.mongodbUri, healthTimeoutMs);
  return true;
}

/** True when a process with this pid exists (signal 0 tests without signalling). */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** After a SIGKILL of the postmaster its backends linger until they notice; the next start needs them gone. */
async function reapPostgresChildren(info: StackInfo): Promise<void> {
  const dataDir = info.postgres?.dataDir;
  if (!dataDir) return;
  await pollUntil('PostgreSQL backends to exit', () => (isAlive(postmasterPid({ dataDir })) ? undefined : true), {
    timeoutMs: 15_000,
  }).catch(() => undefined);
}

function launch(process: 'temporal' | 'ferretdb', dir: string, args: string[]): number {
  const binary = join(BIN, process);
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/provision.sh`);
  const logFd = openSync(join(dir, 'logs', `${process}.log`), 'a');
  const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${process}`);
  return child.pid;
}

function logTail(dir: string, process: StackProcess): string {
  const file = process === 'postgres' ? join(dir, 'pg-run', 'postgres.log') : join(dir, 'logs', `${process}.log`);
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

function exitedDuringStart(info: StackInfo, process: StackProcess): ExitedDuringStart {
  return new ExitedDuringStart(`${process} exited during start-up. Last log lines:\n${logTail(info.dir, process)}`);
}

/** Waits until FerretDB answers; throws at once when it exits meanwhile (pollUntil would keep trying to its deadline). */
async function waitForMongo(info: StackInfo, uri: string, timeoutMs: number): Promise<void> {
  const outcome = await pollUntil(
    'FerretDB to answer ping',
    async () => {
      if (!isOurProcess(info, 'ferretdb')) return 'exited' as const;
      const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1_000 });
      try {
        await conn.asPromise();
        await conn.db?.command({ ping: 1 });
        return 'serving' as const;
      } finally {
        await conn.close();
      }
    },
    { timeoutMs, intervalMs: 200 },
  );
  if (outcome === 'exited') throw exitedDuringStart(info, 'ferretdb');
}

async function waitForTemporal(info: StackInfo, address: string, timeoutMs: number): Promise<void> {
  const outcome = await pollUntil(
    'Temporal to report SERVING',
    async () => {
      if (!isOurProcess(info, 'temporal')) return 'exited' as const;
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        const health = await connection.withDeadline(Date.now() + 1_000, () => connection.healthService.check({}));
        return health.status === grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING ? ('serving' as const) : undefined;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs, intervalMs: 200 },
  );
  if (outcome === 'exited') throw exitedDuringStart(info, 'temporal');
}
