import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { pollUntil } from '../../common/poll';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { PortBook } from './ports';
import { runsBinary, signalGroup } from './processes';
import { postmasterPid, startPostgres, stopPostgres, type PostgresInfo } from './postgres';

/**
 * A real Temporal cluster on this machine: the Temporal server (go.temporal.io/server, scripts/provision.sh
 * temporal-server) on a PostgreSQL cluster of its own with advanced visibility in PostgreSQL, its services —
 * frontend, matching, the internal worker and one or more history services — each a process of its own, found by each
 * other through the cluster-membership table. Everything binds to 127.0.0.1; state and logs under `<dir>/`.
 * The dev server stays the default (one process, seconds to start); this is the topology a deployment runs.
 */
const BIN = join(__dirname, '..', '..', '.tools', 'bin');
export const TEMPORAL_SERVER = join(BIN, 'temporal-server');
const SQL_TOOL = join(BIN, 'temporal-sql-tool');
const CLI = join(BIN, 'temporal');
/** The server's SQL schemas, copied from its module by scripts/provision.sh. */
const SCHEMA = join(__dirname, '..', '..', '.tools', 'temporal-schema', 'postgresql', 'v12');

export type ClusterService = 'frontend' | 'matching' | 'worker' | `history-${number}`;

export interface TemporalClusterOptions {
  dir: string;
  /** History services (processes); shards are spread over them and move when one dies. Default 1. */
  historyServices?: number;
  /** History shards: fixed for the life of the cluster's database. Default 4. */
  shards?: number;
  durable?: boolean;
  healthTimeoutMs?: number;
}

export interface TemporalClusterInfo {
  dir: string;
  address: string;
  postgres: PostgresInfo & { durable: boolean };
  shards: number;
  services: Record<ClusterService, { pid: number; config: string }>;
}

const infoPath = (dir: string) => join(dir, 'temporal-cluster.json');
const NAMESPACE = 'default';

export function readClusterInfo(dir: string): TemporalClusterInfo | undefined {
  return existsSync(infoPath(dir)) ? (JSON.parse(readFileSync(infoPath(dir), 'utf8')) as TemporalClusterInfo) : undefined;
}
const writeClusterInfo = (info: TemporalClusterInfo) => writeFileSync(infoPath(info.dir), JSON.stringify(info, null, 2));

export function serverBuilt(): boolean {
  return existsSync(TEMPORAL_SERVER) && existsSync(SQL_TOOL) && existsSync(join(SCHEMA, 'temporal', 'versioned'));
}

/** True when `pid` runs the Temporal server binary (not a recycled pid). */
export function isServerProcess(pid: number | undefined): boolean {
  return runsBinary(pid, TEMPORAL_SERVER);
}

export function clusterRunning(info: TemporalClusterInfo): boolean {
  return isServerProcess(info.services.frontend?.pid) && Object.values(info.services).every((s) => isServerProcess(s.pid));
}

function sqlTool(port: number, database: string, args: string[]): void {
  execFileSync(
    SQL_TOOL,
    ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(port), '-u', 'postgres', '--db', database, ...args],
    {
      stdio: 'pipe',
    },
  );
}

/** Creates the two databases and brings their schemas to the server's version (update-schema is idempotent). */
function ensureSchemas(port: number): void {
  for (const [database, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    try {
      sqlTool(port, database, ['create-database']);
    } catch {
      /* exists already */
    }
    try {
      sqlTool(port, database, ['setup-schema', '-v', '0.0']);
    } catch {
      /* set up already: the version table exists */
    }
    sqlTool(port, database, ['update-schema', '-d', join(SCHEMA, schema, 'versioned')]);
  }
}

interface ServicePorts {
  grpc: number;
  membership: number;
  http?: number;
}

/**
 * One process's configuration: the shared persistence, and every service's ports (the membership monitor tracks the
 * services it is told of); a history process names its own ports for `history`, the others the first history's.
 */
function serviceConfig(o: {
  pgPort: number;
  shards: number;
  services: Record<'frontend' | 'history' | 'matching' | 'worker', ServicePorts>;
  frontendAddress: string;
  dynamicConfig: string;
}): string {
  const service = (name: string, ports: ServicePorts) => `  ${name}:
    rpc:
      grpcPort: ${ports.grpc}
      membershipPort: ${ports.membership}
      bindOnLocalHost: true${ports.http ? `\n      httpPort: ${ports.http}` : ''}`;
  const store = (database: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "127.0.0.1:${o.pgPort}"
        connectProtocol: tcp
        user: postgres
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${o.shards}
  datastores:
    default:${store('temporal', 20)}
    visibility:${store('temporal_visibility', 5)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
${Object.entries(o.services)
  .map(([name, ports]) => service(name, ports))
  .join('\n')}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "${o.frontendAddress}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "${o.dynamicConfig}"
  pollInterval: 10s
`;
}

/** Settings of the running cluster: search attributes visible at once after they are registered, long workflow ids. */
const DYNAMIC_CONFIG = `limit.maxIDLength:
  - value: 255
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`;

function launch(dir: string, name: ClusterService, config: string): number {
  const logFd = openSync(join(dir, 'logs', `temporal-${name}.log`), 'a');
  const service = name.startsWith('history') ? 'history' : name;
  const child = spawn(TEMPORAL_SERVER, ['--config-file', config, '--allow-no-auth', 'start', '--service', service], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  child.unref();
  if (!child.pid) throw new Error(`could not start Temporal ${name}`);
  return child.pid;
}

/**
 * Starts the cluster (its PostgreSQL, schemas, services), registers the `default` namespace and fangpin's search
 * attributes, and waits until a workflow list answers through the frontend. A running cluster is returned as it is.
 */
export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalClusterInfo> {
  const { dir, historyServices = 1, shards = 4, durable = false, healthTimeoutMs = 120_000 } = options;
  if (!serverBuilt()) throw new Error(`${TEMPORAL_SERVER} is missing: run scripts/provision.sh temporal-server`);
  const existing = readClusterInfo(dir);
  if (existing && clusterRunning(existing)) return existing;
  if (existing) await stopTemporalCluster(dir);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const ports = new PortBook(dir);
  const pgPort = await ports.take('temporal-postgres');
  const pg = startPostgres(join(dir, 'temporal-pg'), pgPort, { durable, documentdb: false });
  const info: TemporalClusterInfo = {
    dir,
    address: '',
    postgres: { binDir: pg.binDir, dataDir: pg.dataDir, runDir: pg.runDir, port: pgPort, durable },
    shards,
    services: {} as TemporalClusterInfo['services'],
  };
  writeClusterInfo(info);
  try {
    ensureSchemas(pgPort);
    const dynamicConfig = join(dir, 'temporal-dynamic-config.yaml');
    writeFileSync(dynamicConfig, DYNAMIC_CONFIG);
    const frontend: ServicePorts = {
      grpc: await ports.take('temporal-frontend'),
      membership: await ports.take('temporal-frontend-membership'),
      http: await ports.take('temporal-frontend-http'),
    };
    info.address = `127.0.0.1:${frontend.grpc}`;
    const names: ClusterService[] = [
      'frontend',
      ...Array.from({ length: historyServices }, (_, i) => `history-${i + 1}` as const),
      'matching',
      'worker',
    ];
    const servicePorts = {} as Record<ClusterService, ServicePorts>;
    for (const name of names) {
      servicePorts[name] =
        name === 'frontend'
          ? frontend
          : { grpc: await ports.take(`temporal-${name}`), membership: await ports.take(`temporal-${name}-membership`) };
    }
    for (const name of names) {
      const config = join(dir, `temporal-${name}.yaml`);
      const history = (name.startsWith('history') ? servicePorts[name] : servicePorts['history-1'])!;
      writeFileSync(
        config,
        serviceConfig({
          pgPort,
          shards,
          services: { frontend, history, matching: servicePorts.matching, worker: servicePorts.worker },
          frontendAddress: info.address,
          dynamicConfig,
        }),
      );
      info.services[name] = { pid: launch(dir, name, config), config };
      writeClusterInfo(info);
      // the first process writes the cluster's metadata into a new database; the others, started with it, would race
      // it (and exit): they start once the frontend serves
      if (name === 'frontend') await frontendServing(info, healthTimeoutMs);
    }
    await registerNamespace(info, healthTimeoutMs);
    return info;
  } catch (error) {
    await stopTemporalCluster(dir);
    throw error;
  }
}

function cli(info: TemporalClusterInfo, args: string[]): string {
  return execFileSync(CLI, [...args, '--address', info.address, '--namespace', NAMESPACE], { stdio: 'pipe', encoding: 'utf8' });
}

async function registerNamespace(info: TemporalClusterInfo, timeoutMs: number): Promise<void> {
  const attempt = (run: () => void) => () => {
    try {
      run();
      return Promise.resolve(true);
    } catch {
      return Promise.resolve(false);
    }
  };
  await whileAlive(
    info,
    'the Temporal cluster to take the default namespace',
    attempt(() => {
      try {
        cli(info, ['operator', 'namespace', 'describe']);
      } catch {
        cli(info, ['operator', 'namespace', 'create', '--retention', '72h']);
        throw new Error('created: describe again');
      }
    }),
    timeoutMs,
  );
  // a new namespace reaches each service's cache within its refresh period (~10 s): until then it is "not found"
  await whileAlive(
    info,
    "fangpin's search attributes on the default namespace",
    attempt(() => {
      const registered = cli(info, ['operator', 'search-attribute', 'list', '-o', 'json']);
      for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
        if (!registered.includes(`"${name}"`))
          cli(info, ['operator', 'search-attribute', 'create', '--name', name, '--type', type]);
      }
    }),
    timeoutMs,
  );
  // and a list with them runs
  await whileAlive(
    info,
    'the default namespace to serve',
    () =>
      frontendCall(info, (c) =>
        c.workflowService.listWorkflowExecutions({ namespace: NAMESPACE, query: `ClaimStage = 'filed'` }),
      ),
    timeoutMs,
  );
}

/** The error of a service that exited (with its log's last lines), or undefined while all run. */
function exitedService(info: TemporalClusterInfo): Error | undefined {
  for (const [name, s] of Object.entries(info.services)) {
    if (isServerProcess(s.pid)) continue;
    const log = join(info.dir, 'logs', `temporal-${name}.log`);
    const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : ['(no log)'];
    const tail = lines
      .slice(-4)
      .map((l) => l.slice(0, 400))
      .join('\n');
    return new Error(`Temporal ${name} exited during start-up. Last log lines:\n${tail}`);
  }
  return undefined;
}

/** Polls `check` while every service runs; throws at once when one exits (pollUntil would retry to its deadline). */
async function whileAlive(
  info: TemporalClusterInfo,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const outcome = await pollUntil(what, async () => exitedService(info) ?? ((await check()) ? true : undefined), {
    timeoutMs,
    intervalMs: 500,
  });
  if (outcome instanceof Error) throw outcome;
}

/** One call through a connection of its own to the frontend; true when it answers (it throws otherwise). */
async function frontendCall(info: TemporalClusterInfo, call: (connection: Connection) => Promise<unknown>): Promise<boolean> {
  const connection = await Connection.connect({ address: info.address, connectTimeout: 1_000 });
  try {
    await call(connection);
    return true;
  } finally {
    await connection.close();
  }
}

async function frontendServing(info: TemporalClusterInfo, timeoutMs: number): Promise<void> {
  await whileAlive(
    info,
    'the Temporal frontend to serve',
    () => frontendCall(info, (c) => c.workflowService.getClusterInfo({})),
    timeoutMs,
  );
}

/** Kills one service as a crash would (SIGKILL); `restartClusterService` starts it again with its configuration. */
export async function killClusterService(dir: string, name: ClusterService): Promise<void> {
  const info = readClusterInfo(dir);
  const pid = info?.services[name]?.pid;
  if (!info || !pid || !isServerProcess(pid)) return;
  signalGroup(pid, 'SIGKILL');
  await pollUntil(`Temporal ${name} to exit`, () => (isServerProcess(pid) ? undefined : true), { timeoutMs: 15_000 });
}

export function restartClusterService(dir: string, name: ClusterService): void {
  const info = readClusterInfo(dir);
  const service = info?.services[name];
  if (!info || !service) throw new Error(`no Temporal ${name} in ${dir}`);
  if (isServerProcess(service.pid)) return;
  service.pid = launch(dir, name, service.config);
  writeClusterInfo(info);
}

/** Stops every service (SIGTERM, SIGKILL after `timeoutMs`) and the cluster's PostgreSQL; the data stays. */
export async function stopTemporalCluster(dir: string, { timeoutMs = 10_000, keepData = true } = {}): Promise<void> {
  const info = readClusterInfo(dir);
  if (info) {
    const running = Object.values(info.services).filter((s) => isServerProcess(s.pid));
    for (const s of running) signalGroup(s.pid, 'SIGTERM');
    try {
      await pollUntil('the Temporal cluster to stop', () => (running.some((s) => isServerProcess(s.pid)) ? undefined : true), {
        timeoutMs,
      });
    } catch {
      for (const s of running) signalGroup(s.pid, 'SIGKILL');
    }
    if (postmasterPid(info.postgres)) stopPostgres(info.postgres);
    rmSync(infoPath(dir), { force: true });
  }
  if (!keepData) rmSync(join(dir, 'temporal-pg'), { recursive: true, force: true });
}
