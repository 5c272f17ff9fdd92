/**
 * The PostgreSQL cluster behind the local FerretDB: Debian's server with the DocumentDB extension
 * (scripts/provision.sh installs both), a cluster of the stack's own under .stack/<name>/pg-data on a loopback port.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const PG_MAJOR = process.env.FANGPIN_PG_MAJOR ?? '15';
/** The database FerretDB keeps its collections in (and pg_cron, which DocumentDB uses for index builds, runs in). */
export const FERRETDB_DATABASE = 'ferretdb';

export interface PostgresInfo {
  binDir: string;
  dataDir: string;
  runDir: string;
  port: number;
}

export function postgresBinDir(): string {
  return process.env.FANGPIN_PG_BIN ?? `/usr/lib/postgresql/${PG_MAJOR}/bin`;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).trim();
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a PostgreSQL program, as `postgres` when we are root. */
function pg(binDir: string, program: string, args: string[]): string {
  const command = join(binDir, program);
  const output = postgresUser()
    ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe', encoding: 'utf8' })
    : execFileSync(command, args, { stdio: 'pipe', encoding: 'utf8' });
  return output;
}

/**
 * Settings added after the first clusters were made: each group is appended to an existing cluster's configuration
 * when its first setting is missing (indexes made before the composite group keep their opclass).
 */
const LATER_SETTINGS: { why: string; lines: string[] }[] = [
  {
    // indexes on DocumentDB's composite-term opclass: a range on a compound index's second key (the list's
    // stage + filedAt window) is an index range, not a filter over every entry of the first (measured at 100,000
    // claims: a list's second page 330 → 60 ms). The sort itself still runs in memory: ordered index scans need
    // the extended RUM access method of later DocumentDB releases (amcanorderbyop), so the pushdown flag is inert here.
    why: 'composite-term indexes',
    lines: ['documentdb.defaultUseCompositeOpClass = on', 'documentdb.enableIndexOrderbyPushdown = on'],
  },
  {
    // A sorted find or an aggregation is a "persistent" cursor in DocumentDB; without file-based cursors it asks
    // FerretDB to keep the PostgreSQL connection for it, and FerretDB 2.5 closes that connection even when the first
    // batch drained the query (cursor/registry.go). Every sorted read then paid a new backend (fork and extension
    // load): measured at 100,000 claims, a claim's timeline 20 → 3.5 ms and a list page 55 → 20 ms with files.
    // Cursors left open past a first batch live in pg-data/pg_documentdb_cursor_files.
    why: 'file-based cursors keep FerretDB’s connections pooled',
    lines: ['documentdb.enableFileBasedPersistedCursors = on', 'documentdb.useFileBasedPersistedCursors = on'],
  },
  {
    // short indexed queries: DocumentDB's row estimates for BSON filters are generic (10,000s of rows for a claim's
    // ten events), which made the planner start parallel workers and JIT-compile a query that runs in 0.5 ms
    why: 'short queries on 2 cores',
    lines: ['jit = off', 'max_parallel_workers_per_gather = 0'],
  },
];

const settingName = (line: string) => line.split('=')[0]!.trim();

/**
 * Server settings: DocumentDB's libraries preloaded, pg_cron (its index-build scheduler) in FerretDB's database with
 * a minute schedule (Debian's pg_cron 1.4 has no second schedules) and no run log. A throwaway cluster (tests, bench)
 * skips fsync: that survives any process crash, only a machine crash would lose data.
 */
function settings(durable: boolean, documentdb: boolean): string {
  const extension = [
    "shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'",
    `cron.database_name = '${FERRETDB_DATABASE}'`,
    'cron.log_run = off',
    'documentdb.indexBuildScheduleInSec = 60',
    ...LATER_SETTINGS.flatMap((group) => group.lines),
  ];
  return [
    ...(documentdb ? extension : []),
    // writers racing on one new unique key deadlock (DocumentDB's unique indexes are exclusion constraints):
    // detect it in 50 ms instead of 1 s, so the bounded retries are quick
    'deadlock_timeout = 50ms',
    "listen_addresses = '127.0.0.1'",
    'max_connections = 200',
    'shared_buffers = 256MB',
    ...(durable ? [] : ['fsync = off', 'full_page_writes = off']),
    '',
  ].join('\n');
}

function ensureCluster(stackDir: string, durable: boolean, documentdb: boolean): Omit<PostgresInfo, 'port'> {
  const binDir = postgresBinDir();
  if (!existsSync(join(binDir, 'pg_ctl'))) {
    throw new Error(`PostgreSQL ${PG_MAJOR} is not installed (${binDir}): run scripts/provision.sh database`);
  }
  const dataDir = join(stackDir, 'pg-data');
  const runDir = join(stackDir, 'pg-run');
  mkdirSync(runDir, { recursive: true });
  const owner = postgresUser();
  if (owner) chownSync(runDir, owner.uid, owner.gid);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    if (owner) chownSync(dataDir, owner.uid, owner.gid);
    pg(binDir, 'initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const conf = join(dataDir, 'postgresql.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}\n# fangpin local stack\n${settings(durable, documentdb)}`);
  }
  const conf = join(dataDir, 'postgresql.conf');
  for (const group of documentdb ? LATER_SETTINGS : []) {
    const text = readFileSync(conf, 'utf8');
    if (text.includes(settingName(group.lines[0]!))) continue;
    writeFileSync(conf, `${text}\n# fangpin local stack: ${group.why}\n${group.lines.join('\n')}\n`);
  }
  return { binDir, dataDir, runDir };
}

/**
 * Starts the cluster (creating it on first start) on `port`, and makes sure FerretDB's database has the extension;
 * `documentdb: false` makes a plain cluster (the Temporal cluster's persistence).
 */
export function startPostgres(
  stackDir: string,
  port: number,
  { durable = false, documentdb = true } = {},
): PostgresInfo & { url: string } {
  const cluster = ensureCluster(stackDir, durable, documentdb);
  const info = { ...cluster, port };
  pg(cluster.binDir, 'pg_ctl', [
    '-D',
    cluster.dataDir,
    '-o',
    `-p ${port} -k ${cluster.runDir}`,
    '-l',
    join(cluster.runDir, 'postgres.log'),
    '-w',
    '-t',
    '60',
    'start',
  ]);
  if (!documentdb) return { ...info, url: `postgres://postgres@127.0.0.1:${port}/postgres` };
  const psql = (database: string, sql: string) =>
    pg(cluster.binDir, 'psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-qAtc', sql]);
  if (!psql('postgres', `SELECT 1 FROM pg_database WHERE datname = '${FERRETDB_DATABASE}'`).trim()) {
    psql('postgres', `CREATE DATABASE ${FERRETDB_DATABASE}`);
  }
  psql(FERRETDB_DATABASE, 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE');
  return { ...info, url: postgresUrl(port) };
}

export const postgresUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/${FERRETDB_DATABASE}`;

/** The postmaster's pid, from its pid file (undefined when it is not running). */
export function postmasterPid(info: Pick<PostgresInfo, 'dataDir'>): number | undefined {
  try {
    const pid = Number(readFileSync(join(info.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function stopPostgres(info: Pick<PostgresInfo, 'binDir' | 'dataDir'>, mode: 'fast' | 'immediate' = 'fast'): void {
  try {
    pg(info.binDir, 'pg_ctl', ['-D', info.dataDir, '-m', mode, '-w', 'stop']);
  } catch {
    /* not running */
  }
}
