/**
 * Debian's PostgreSQL as FerretDB's faster backend (FANGPIN_FERRETDB_BACKEND=postgresql): a cluster of the stack's own
 * under .stack/<name>/pg-data, on a free loopback port, durability relaxed (it is a development and benchmark
 * database). PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export interface PostgresInfo {
  binDir: string;
  dataDir: string;
  port: number;
}

/** The newest installed server's binaries (FANGPIN_PG_BIN to choose), or undefined when none is installed. */
export function postgresBinDir(): string | undefined {
  if (process.env.FANGPIN_PG_BIN) return process.env.FANGPIN_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).trim();
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Runs a PostgreSQL program, as `postgres` when we are root. */
function pg(binDir: string, program: string, args: string[]): void {
  const command = join(binDir, program);
  if (postgresUser()) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
  else execFileSync(command, args, { stdio: 'pipe' });
}

export async function startPostgres(stackDir: string): Promise<PostgresInfo & { url: string }> {
  const binDir = postgresBinDir();
  if (!binDir) throw new Error("FANGPIN_FERRETDB_BACKEND=postgresql needs PostgreSQL's server: apt-get install postgresql");
  const dataDir = join(stackDir, 'pg-data');
  const runDir = join(stackDir, 'pg-run');
  mkdirSync(runDir, { recursive: true });
  const owner = postgresUser();
  if (owner) chownSync(runDir, owner.uid, owner.gid);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    if (owner) chownSync(dataDir, owner.uid, owner.gid);
    pg(binDir, 'initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  }
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${runDir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ];
  pg(binDir, 'pg_ctl', ['-D', dataDir, '-o', options.join(' '), '-l', join(runDir, 'postgres.log'), '-w', 'start']);
  try {
    pg(binDir, 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'ferretdb']);
  } catch {
    /* exists from an earlier start */
  }
  return { binDir, dataDir, port, url: `postgres://postgres@127.0.0.1:${port}/ferretdb` };
}

export function stopPostgres(info: PostgresInfo): void {
  try {
    pg(info.binDir, 'pg_ctl', ['-D', info.dataDir, '-m', 'fast', '-w', 'stop']);
  } catch {
    /* not running */
  }
}
