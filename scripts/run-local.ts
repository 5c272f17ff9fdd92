import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../common/poll';
import { freePort, isListening } from './stack/ports';
import { PROJECT_ROOT, stackDir } from './stack/local-stack';
import { resolveServers } from './stack/resolve';
import { seedCounty } from './seed';
import { newSecret, PartnerRegistrySchema, type PartnerRegistry } from '../common/partners/registry';

/**
 * `npm start`: resolves the servers (env → testcontainers → local binaries, persistent, with the Temporal UI),
 * runs the partner simulators (two insurers, the bank, the data sources), the API and the worker as child processes, waits until /readyz answers 200, prints the URLs and stays in
 * the foreground. Ctrl-C stops everything it started; data stays under .stack/dev for the next start.
 */
const STACK = 'dev';

interface RunningService {
  pid: number;
  apiUrl: string;
  temporalUiUrl: string | undefined;
}

function alreadyRunning(): RunningService | undefined {
  const file = join(stackDir(STACK), 'service.json');
  if (!existsSync(file)) return undefined;
  const running = JSON.parse(readFileSync(file, 'utf8')) as RunningService;
  try {
    process.kill(running.pid, 0);
    return running;
  } catch {
    return undefined;
  }
}

async function choosePort(): Promise<number> {
  const wanted = Number(process.env.API_PORT ?? 3000);
  if (wanted !== 0 && !(await isListening('127.0.0.1', wanted))) return wanted;
  return freePort();
}

const INSURERS = ['picc-suzhou', 'cpic-anhui'];

/** Partner URLs on this start's free ports; secrets kept across starts in .stack/dev/partners.json. */
async function devPartners(): Promise<{ registry: PartnerRegistry; file: string; ports: Record<string, number> }> {
  const file = join(stackDir(STACK), 'partners.json');
  const previous = existsSync(file) ? PartnerRegistrySchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).data : undefined;
  const ports: Record<string, number> = {};
  for (const name of [...INSURERS, 'bank', 'gov']) ports[name] = await freePort();
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

function startChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  // node with tsx's loader (one process per service, so signals reach the service itself)
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, entry)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: PROJECT_ROOT,
  });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[fangpin] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void stopAll(1);
    }
  });
  return child;
}

let stopping = false;
let children: ChildProcess[] = [];
let stopServers: () => Promise<void> = async () => {};

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const exits = children.filter((c) => c.exitCode === null).map((c) => new Promise((r) => c.once('exit', r)));
  for (const child of children) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 15_000).unref())]);
  await stopServers();
  rmSync(join(stackDir(STACK), 'service.json'), { force: true });
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const running = alreadyRunning();
  if (running) {
    console.log(`fangpin is already running (pid ${running.pid}): API ${running.apiUrl}`);
    return;
  }
  console.log('[fangpin] starting servers…');
  const servers = await resolveServers({ name: STACK, persistent: true, ui: true });
  stopServers = () => servers.stop();
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const port = await choosePort();
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
  const workerMetrics = `127.0.0.1:${await freePort()}`;
  const partners = await devPartners();
  env.PARTNERS_FILE = partners.file;
  env.AUTH_JWT_SECRET = devAuthSecret();
  env.PII_KEY = devPiiKey();
  const simEnv = (name: string, secrets: string[], extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    SIM_PORT: String(partners.ports[name]),
    PARTNER_SECRETS: secrets.join(','),
    FANGPIN_URL: apiUrl,
    LOG_LEVEL: 'warn',
    ...extra,
  });
  children = [
    ...partners.registry.insurers.map((i) =>
      startChild(`insurer ${i.id}`, 'sim/insurer/main.ts', simEnv(i.id, i.secrets, { INSURER_ID: i.id })),
    ),
    startChild(
      'bank simulator',
      'sim/bank/main.ts',
      // the bank's ledger is durable, as a real bank's: kept across restarts of the stack
      simEnv('bank', partners.registry.bank.secrets, { BANK_LEDGER_FILE: join(stackDir(STACK), 'bank-ledger.jsonl') }),
    ),
    startChild('data-source simulator', 'sim/gov/main.ts', simEnv('gov', partners.registry.dataSources.secrets)),
    startChild('worker', 'workers/main.ts', { WORKER_METRICS_ADDRESS: workerMetrics, ...env }),
    startChild('api', 'api/server.ts', env),
  ];

  await pollUntil(
    'the API to report ready',
    async () => ((await fetch(`${apiUrl}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  const seeding = await seedCounty({
    apiUrl,
    auth: {
      secret: env.AUTH_JWT_SECRET,
      issuer: env.AUTH_ISSUER ?? 'fangpin',
      audience: env.AUTH_AUDIENCE ?? 'fangpin-api',
      tokenTtlMs: 8 * 3_600_000,
    },
  });
  mkdirSync(stackDir(STACK), { recursive: true });
  writeFileSync(join(stackDir(STACK), 'tokens.json'), JSON.stringify(seeding.tokens, null, 2), { mode: 0o600 });
  const service: RunningService = { pid: process.pid, apiUrl, temporalUiUrl: servers.temporalUiUrl };
  writeFileSync(join(stackDir(STACK), 'service.json'), JSON.stringify(service));

  console.log(
    [
      '',
      'fangpin is running',
      `  API            ${apiUrl}   (readiness: ${apiUrl}/readyz · docs: ${apiUrl}/docs)`,
      `  ops dashboard  ${apiUrl}/dashboard#token=${seeding.tokens.ops ?? ''}`,
      `  metrics        API ${apiUrl}/metrics · worker http://${env.WORKER_METRICS_ADDRESS ?? workerMetrics}/metrics`,
      `  Temporal UI    ${servers.temporalUiUrl ?? '(not served by this Temporal)'}`,
      `  Temporal gRPC  ${servers.temporalAddress}   (servers via ${servers.providers.temporal})`,
      `  MongoDB        ${servers.mongodbUri}   (via ${servers.providers.mongodb})`,
      `  simulators     ${[...partners.registry.insurers.map((i) => `insurer ${i.id} ${i.url}`), `bank ${partners.registry.bank.url}`, `data sources ${partners.registry.dataSources.url}`].join(' · ')}`,
      `  data and logs  ${stackDir(STACK)}   (partner secrets: ${partners.file})`,
      `  county         ${seeding.seeded > 0 ? `seeded ${seeding.seeded} synthetic households` : 'households already registered'} (泗县 341324)`,
      ...Object.entries(seeding.people).map(
        ([role, p]) => `  token ${role.padEnd(9)}${p.jurisdiction.padEnd(13)} ${seeding.tokens[role]}`,
      ),
      `  more tokens    npm run mint-token -- <role> <division> <userId>   (all four above: ${join(stackDir(STACK), 'tokens.json')})`,
      `  demo           npm run demo -- 25   (public notice ${env.CLAIM_NOTICE_PERIOD ?? ''} locally; CLAIM_NOTICE_PERIOD to change)`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch(async (error: unknown) => {
  console.error('[fangpin] could not start:', error instanceof Error ? error.message : error);
  await stopAll(1);
});
