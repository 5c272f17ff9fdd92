/**
 * The benchmark's own deployment, as `npm start` runs it: fresh servers (env → testcontainers → local binaries), the
 * partner simulators, the API and the worker as separate processes. Processes can be restarted with other settings
 * between phases (task queue, notice period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintStaffToken, type AuthSettings } from '../api/auth/tokens';
import { pollUntil } from '../common/poll';
import { freePort } from '../scripts/stack/ports';
import { PROJECT_ROOT } from '../scripts/stack/local-stack';
import { resolveServers, type ResolvedServers } from '../scripts/stack/resolve';
import type { Actor } from '../workflows/claim/types';

export interface Running {
  child: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** Runs an entry point; `logs: true` shows its warnings and errors (a worker that fails to start says why). */
function run(entry: string, env: NodeJS.ProcessEnv, { logs = false, nodeArgs = [] as string[] } = {}): Running {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(PROJECT_ROOT, entry)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', logs ? 'inherit' : 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface BenchStack {
  servers: ResolvedServers;
  auth: AuthSettings;
  piiKey: string;
  partnersFile: string;
  insurerUrls: Record<string, string>;
  bankUrl: string;
  /** The partner simulators' processes (insurers, bank, government data), to measure what they cost. */
  simulators: Running[];
  token(actor: Actor): Promise<string>;
  /** Starts an API process (`nodeArgs`: Node's own options, e.g. its profiler); resolves when /readyz answers. */
  startApi(env?: NodeJS.ProcessEnv, nodeArgs?: string[]): Promise<Running & { url: string }>;
  /** Starts a worker process (`nodeArgs`: Node's own options, e.g. its profiler). */
  startWorker(env?: NodeJS.ProcessEnv, nodeArgs?: string[]): Running;
  /** Any other entry point (the baseline worker) with the stack's environment. */
  startProcess(entry: string, env?: NodeJS.ProcessEnv): Running;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const servers = await resolveServers({ name: 'bench' });
  const sims: Running[] = [];
  try {
    return await startOn(servers, sims);
  } catch (error) {
    await Promise.all(sims.map((s) => s.stop()));
    await servers.stop();
    throw error;
  }
}

async function startOn(servers: ResolvedServers, sims: Running[]): Promise<BenchStack> {
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const secret = () => randomBytes(24).toString('hex');
  const partners = {
    insurers: [] as { id: string; url: string; secrets: string[] }[],
    bank: { url: '', secrets: [secret()] },
    dataSources: { url: '', secrets: [secret()] },
  };
  const simPort = async (entry: string, secrets: string[], extra: NodeJS.ProcessEnv) => {
    const port = await freePort();
    sims.push(run(entry, { SIM_PORT: String(port), PARTNER_SECRETS: secrets.join(','), FANGPIN_URL: apiUrl, ...extra }));
    return `http://127.0.0.1:${port}`;
  };
  for (const id of ['picc-suzhou', 'cpic-anhui']) {
    const secrets = [secret()];
    partners.insurers.push({
      id,
      secrets,
      url: await simPort('sim/insurer/main.ts', secrets, { INSURER_ID: id, DECISION_DELAY_MS: '50' }),
    });
  }
  partners.bank.url = await simPort('sim/bank/main.ts', partners.bank.secrets, { BANK_SETTLE_DELAY_MS: '50' });
  partners.dataSources.url = await simPort('sim/gov/main.ts', partners.dataSources.secrets, { GOV_HOUSEHOLDS: '0' });
  for (const url of [...partners.insurers.map((i) => i.url), partners.bank.url, partners.dataSources.url]) {
    // any answer (404 included) means the simulator listens
    await pollUntil(`simulator ${url}`, async () => ((await fetch(url).catch(() => undefined)) ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
  }
  // the lifecycle benchmark measures the path to payout: every decision approves in full
  for (const insurer of partners.insurers) {
    await fetch(`${insurer.url}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mix: { approved_full: 1 } }),
    });
  }
  const partnersFile = join(mkdtempSync(join(tmpdir(), 'fangpin-bench-')), 'partners.json');
  writeFileSync(partnersFile, JSON.stringify(partners), { mode: 0o600 });
  const auth: AuthSettings = { secret: secret(), issuer: 'fangpin', audience: 'fangpin-api', tokenTtlMs: 4 * 3_600_000 };
  const piiKey = randomBytes(32).toString('hex');
  const common: NodeJS.ProcessEnv = {
    MONGODB_URI: servers.mongodbUri,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    PARTNERS_FILE: partnersFile,
    PII_KEY: piiKey,
    AUTH_JWT_SECRET: auth.secret,
    TEMPORAL_TASK_QUEUE: 'bench-claims',
  };
  const tokens = new Map<string, Promise<string>>();
  return {
    servers,
    auth,
    piiKey,
    partnersFile,
    insurerUrls: Object.fromEntries(partners.insurers.map((i) => [i.id, i.url])),
    bankUrl: partners.bank.url,
    simulators: sims,
    token(actor) {
      const key = `${actor.userId}@${actor.jurisdiction}`;
      if (!tokens.has(key)) tokens.set(key, mintStaffToken(auth, actor));
      return tokens.get(key)!;
    },
    async startApi(env = {}, nodeArgs = []) {
      const api = run('api/server.ts', { ...common, API_PORT: String(apiPort), ...env }, { nodeArgs });
      await pollUntil('the API', async () => ((await fetch(`${apiUrl}/readyz`).catch(() => undefined))?.ok ? true : undefined), {
        timeoutMs: 120_000,
        intervalMs: 200,
      });
      return { ...api, url: apiUrl };
    },
    startWorker: (env = {}, nodeArgs = []) => run('workers/main.ts', { ...common, ...env }, { logs: true, nodeArgs }),
    startProcess: (entry, env = {}) => run(entry, { ...common, ...env }),
    async stop() {
      await Promise.all(sims.map((s) => s.stop()));
      await servers.stop();
    },
  };
}
