import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../common/poll';
import { PortBook } from './stack/ports';
import { isAlive, PROJECT_ROOT, stackDir } from './stack/local-stack';
import { resolveServers } from './stack/resolve';
import { Supervisor, watchServers } from './stack/supervisor';
import { seedAccounts, seedCounty } from './seed';
import { newSecret, PartnerRegistrySchema, type PartnerRegistry } from '../common/partners/registry';
import { snapshotOfRegistry, type PartnerSnapshot } from '../common/partners/directory';
import { createPiiCipher } from '../common/crypto/pii';
import { connectWithIndexes } from '../db/indexes';
import { createPartnerRepository } from '../db/repositories/partners';

/**
 * `npm start`: resolves the servers (env → testcontainers → local binaries, persistent, with the Temporal UI),
 * runs the partner simulators (two insurers, the bank, the data sources), the API and the worker under a supervisor
 * (each restarted with backoff when it dies; the local servers too, in place), waits until /readyz answers 200,
 * prints the banner and stays in the foreground. Request logs go to .stack/dev/logs/, the terminal shows the banner,
 * warnings and errors. Ctrl-C, SIGTERM or SIGHUP stop everything it started; so does the death of the process that
 * started it. Ports are remembered (.stack/dev/ports.json): a restart binds the same ones. Data stays for the next start.
 */
const STACK = process.env.FANGPIN_STACK ?? 'dev';

/** What `npm start` writes for `npm run stack -- status` and for a second start to find. */
export interface RunningService {
  pid: number;
  apiUrl: string;
  temporalUiUrl: string | undefined;
  children: Record<string, number>;
  banner: string;
}

const serviceFile = () => join(stackDir(STACK), 'service.json');

function readService(): RunningService | undefined {
  if (!existsSync(serviceFile())) return undefined;
  return JSON.parse(readFileSync(serviceFile(), 'utf8')) as RunningService;
}

/** The running service, or undefined; children a killed supervisor left behind are stopped (nothing stale remains). */
function alreadyRunning(): RunningService | undefined {
  const running = readService();
  if (!running) return undefined;
  if (isAlive(running.pid)) return running;
  for (const pid of Object.values(running.children ?? {})) {
    const ours = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(PROJECT_ROOT);
      } catch {
        return false;
      }
    })();
    if (ours) process.kill(pid, 'SIGTERM');
  }
  rmSync(serviceFile(), { force: true });
  return undefined;
}

const INSURERS = ['picc-suzhou', 'cpic-anhui'];

/** Partner URLs on the stack's remembered ports; secrets kept across starts in .stack/dev/partners.json. */
async function devPartners(book: PortBook): Promise<{ registry: PartnerRegistry; file: string; ports: Record<string, number> }> {
  const file = join(stackDir(STACK), 'partners.json');
  const previous = existsSync(file) ? PartnerRegistrySchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).data : undefined;
  const ports: Record<string, number> = {};
  for (const name of [...INSURERS, 'bank', 'gov']) ports[name] = await book.take(name);
  const registry: PartnerRegistry = {
    insurers: INSURERS.map((id) => ({
      id,
      url: `http://127.0.0.1:${ports[id]}`,
      secrets: previous?.insurers.find((i) => i.id === id)?.secrets ?? [newSecret()],
    })),
    bank: { url: `http://127.0.0.1:${ports.bank}`, secrets: previous?.bank.secrets ?? [newSecret()] },
    dataSources: { url: `http://127.0.0.1:${ports.gov}`, secrets: previous?.dataSources.secrets ?? [newSecret()] },
  };
  mkdirSync(stackDir(STACK), { recursive: true });
  writeFileSync(file, JSON.stringify(registry, null, 2), { mode: 0o600 });
  return { registry, file, ports };
}

/**
 * The registry in the database is the partners' truth once seeded (keys rotate through the ops API): seed it from the
 * file, move the simulators' URLs to this start's ports, and hand each simulator the secrets active there now.
 */
async function syncDevRegistry(registry: PartnerRegistry, mongodbUri: string, piiKey: string): Promise<PartnerSnapshot> {
  const mongo = await connectWithIndexes({ uri: mongodbUri, serverSelectionTimeoutMs: 30_000, autoIndex: false });
  try {
    const partners = createPartnerRepository(mongo, createPiiCipher(piiKey));
    await partners.seed(registry);
    const wanted = snapshotOfRegistry(registry);
    for (const endpoint of [...wanted.insurers, wanted.bank, wanted.dataSources]) {
      const stored = await partners.get(endpoint.id);
      if (stored && stored.url !== endpoint.url)
        await partners.setEndpoints(endpoint.id, stored.version, { url: endpoint.url }, DEV_STACK, "the local stack's ports");
    }
    return await partners.snapshot();
  } finally {
    await mongo.close();
  }
}
const DEV_STACK = { by: 'npm start', byRole: 'system' };

/** The local staff-token key, kept across starts (mint tokens with `npm run mint-token`). */
function devAuthSecret(): string {
  const file = join(stackDir(STACK), 'auth.secret');
  if (!existsSync(file)) writeFileSync(file, newSecret(), { mode: 0o600 });
  return process.env.AUTH_JWT_SECRET ?? readFileSync(file, 'utf8').trim();
}

/** The local key for personal data at rest, kept across starts (losing it makes stored households unreadable). */
function devPiiKey(): string {
  const file = join(stackDir(STACK), 'pii.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return process.env.PII_KEY ?? readFileSync(file, 'utf8').trim();
}

let stopping = false;
let supervisor: Supervisor | undefined;
let stopWatching: () => void = () => {};
let stopServers: () => Promise<void> = async () => {};

async function stopAll(exitCode: number, why?: string): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  console.error(`[fangpin] stopping${why ? ` (${why})` : ''}…`);
  stopWatching();
  await supervisor?.stopAll();
  await stopServers();
  if (readService()?.pid === process.pid) rmSync(serviceFile(), { force: true });
  console.error('[fangpin] stopped');
  process.exit(exitCode);
}

/** Every way a terminal, a service manager or a container runtime stops us, and the death of whoever started us. */
function stopOnEveryExit(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0, signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stopAll(0, 'the process that started it has gone');
  }, 1_000).unref();
}

async function main(): Promise<void> {
  const running = alreadyRunning();
  if (running) {
    console.log(`fangpin is already running (pid ${running.pid}): API ${running.apiUrl}`);
    return;
  }
  stopOnEveryExit();
  console.log('[fangpin] starting servers…');
  const servers = await resolveServers({ name: STACK, persistent: true, ui: true });
  stopServers = () => servers.stop();
  if (servers.providers.mongodb === 'local' || servers.providers.temporal === 'local') stopWatching = watchServers(STACK);

  const book = new PortBook(stackDir(STACK));
  // an explicit API_PORT wins; else the stack's remembered port (3000 the first time, when free)
  const wanted = Number(process.env.API_PORT ?? 0);
  const port = wanted > 0 ? wanted : await book.take('api', 3000);
  const env: NodeJS.ProcessEnv = {
    // Local demo pacing (production defaults are days): a short public notice and insurer SLA, unless set.
    CLAIM_NOTICE_PERIOD: '15s',
    CLAIM_INSURER_REMIND_AFTER: '2m',
    CLAIM_INSURER_ESCALATE_AFTER: '5m',
    CLAIM_PAYOUT_CHECK_AFTER: '30s',
    // ops clocks to match: a review untouched for 3 minutes is late, a claim without a stage change for 10 is stuck
    OPS_REVIEW_SLA: '3m',
    OPS_PAYOUT_SLA: '2m',
    OPS_SYSTEM_SLA: '1m',
    OPS_STUCK_AFTER: '10m',
    ...process.env,
    MONGODB_URI: servers.mongodbUri,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    API_PORT: String(port),
    ...(servers.temporalUiUrl ? { TEMPORAL_UI_URL: servers.temporalUiUrl } : {}),
  };
  const apiUrl = `http://127.0.0.1:${port}`;
  const workerMetrics = `127.0.0.1:${await book.take('worker-metrics')}`;
  const partners = await devPartners(book);
  env.PARTNERS_FILE = partners.file;
  env.AUTH_JWT_SECRET = devAuthSecret();
  env.PII_KEY = devPiiKey();
  const registry = await syncDevRegistry(partners.registry, servers.mongodbUri, env.PII_KEY);
  const simEnv = (name: string, secrets: string[], extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    SIM_PORT: String(partners.ports[name]),
    PARTNER_SECRETS: secrets.join(','),
    FANGPIN_URL: apiUrl,
    LOG_LEVEL: 'warn',
    ...extra,
  });
  const logs = join(stackDir(STACK), 'logs');
  let banner = '';
  const record = () => {
    const service: RunningService = {
      pid: process.pid,
      apiUrl,
      temporalUiUrl: servers.temporalUiUrl,
      children: supervisor?.pids() ?? {},
      banner,
    };
    if (!stopping) writeFileSync(serviceFile(), JSON.stringify(service, null, 2), { mode: 0o600 });
  };
  supervisor = new Supervisor(logs, { onSpawn: record });
  for (const i of registry.insurers)
    supervisor.start({
      name: `insurer-${i.id}`,
      entry: 'sim/insurer/main.ts',
      env: simEnv(i.id, [...i.secrets], { INSURER_ID: i.id }),
    });
  supervisor.start({
    name: 'bank',
    entry: 'sim/bank/main.ts',
    // the bank's ledger is durable, as a real bank's: kept across restarts of the stack
    env: simEnv('bank', [...registry.bank.secrets], { BANK_LEDGER_FILE: join(stackDir(STACK), 'bank-ledger.jsonl') }),
  });
  supervisor.start({ name: 'gov', entry: 'sim/gov/main.ts', env: simEnv('gov', [...registry.dataSources.secrets]) });
  supervisor.start({ name: 'worker', entry: 'workers/main.ts', env: { WORKER_METRICS_ADDRESS: workerMetrics, ...env } });
  supervisor.start({ name: 'api', entry: 'api/server.ts', env });

  await pollUntil(
    'the API to report ready',
    async () => ((await fetch(`${apiUrl}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  const auth = {
    secret: env.AUTH_JWT_SECRET,
    issuer: env.AUTH_ISSUER ?? 'fangpin',
    audience: env.AUTH_AUDIENCE ?? 'fangpin-api',
    tokenTtlMs: 8 * 3_600_000,
  };
  const seeding = await seedCounty({ apiUrl, auth });
  mkdirSync(stackDir(STACK), { recursive: true });
  writeFileSync(join(stackDir(STACK), 'tokens.json'), JSON.stringify(seeding.tokens, null, 2), { mode: 0o600 });
  const accountsFile = join(stackDir(STACK), 'accounts.json');
  const accounts = await seedAccounts({ apiUrl, auth, village: seeding.people.village!.jurisdiction, file: accountsFile });
  banner = [
    '',
    'fangpin is running',
    `  API            ${apiUrl}   (readiness: ${apiUrl}/readyz · docs: ${apiUrl}/docs)`,
    `  workbench      ${apiUrl}/app   (staff sign in: 待我处理, claims and their actions)`,
    `  ops dashboard  ${apiUrl}/app/#/ops   (运行监控: sign in as ops or county)`,
    `  metrics        API ${apiUrl}/metrics · worker http://${env.WORKER_METRICS_ADDRESS ?? workerMetrics}/metrics`,
    `  Temporal UI    ${servers.temporalUiUrl ?? '(not served by this Temporal)'}`,
    `  Temporal gRPC  ${servers.temporalAddress}   (servers via ${servers.providers.temporal})`,
    `  MongoDB        ${servers.mongodbUri}   (via ${servers.providers.mongodb})`,
    `  simulators     ${[...partners.registry.insurers.map((i) => `insurer ${i.id} ${i.url}`), `bank ${partners.registry.bank.url}`, `data sources ${partners.registry.dataSources.url}`].join(' · ')}`,
    `  data and logs  ${stackDir(STACK)}   (partners seeded from: ${partners.file})`,
    `  county         ${seeding.seeded > 0 ? `seeded ${seeding.seeded} synthetic households` : 'households already registered'} (泗县 341324)`,
    `  sign in        POST ${apiUrl}/session {username, password}, or the workbench's form; demo accounts (${accountsFile}):`,
    ...accounts.map((a) => `    ${a.username.padEnd(9)} ${a.password.padEnd(20)} ${a.displayName} ${a.jurisdiction}`),
    `  API tokens     npm run mint-token -- <role> <division> <userId>   (one per role: ${join(stackDir(STACK), 'tokens.json')})`,
    `  demo           npm run demo -- 25   (public notice ${env.CLAIM_NOTICE_PERIOD ?? ''} locally; CLAIM_NOTICE_PERIOD to change)`,
    `  logs           ${logs}   (requests and info; the terminal shows warnings and errors)`,
    '  again          npm run stack -- status   (prints this banner while it runs)',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
  record();
  console.log(banner);
}

main().catch(async (error: unknown) => {
  console.error('[fangpin] could not start:', error instanceof Error ? error.message : error);
  await stopAll(1);
});
