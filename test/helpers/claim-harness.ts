import { createHouseholdService } from '../../api/services/households';
import { createImportService } from '../../api/services/imports';
import { createMonitoringService } from '../../api/services/monitoring';
import { createFeedService } from '../../api/services/feeds';
import { settlementFeedWorkflowId } from '../../workflows/feeds/settlement-feed';
import { createDisasterService } from '../../api/services/disasters';
import { createKeyedFiling } from '../../api/services/keyed-filing';
import { createServer, type RequestListener } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { bundleWorkflowCode, Worker, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { TRACING_CLIENT_INTERCEPTORS, type TemporalClient } from '../../common/temporal';
import { startTracing } from '../../common/tracing';
import { tracingPlugin } from '../../workers/tracing';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../workers/workflow-bundle';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { connectTracked } from './tracked-connection';
import { createLogger } from '../../common/logger';
import { pollUntil } from '../../common/poll';
import type { PartnerRegistry } from '../../common/partners/registry';
import { openPartnerDirectory } from '../../db/partner-directory';
import { createSandboxService } from '../../api/services/sandbox';
import type { ClaimDocument } from '../../domain/claim';
import type { Household } from '../../domain/household';
import { syntheticFiles } from '../../domain/synthetic';
import { aHousehold, aPropertyClaim } from '../fixtures/households';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import type { Connection as MongoConnection } from '../../db/connection';
import { claimCounterModel } from '../../db/models/claim';
import { ensureIndexes } from '../../db/indexes';
import { retryWrite } from '../../db/errors';
import { createStores } from '../../db/stores';
import { shanghaiDateOf } from '../../domain/dates';
import { mintStaffToken, type AuthSettings } from '../../api/auth/tokens';
import { createPiiCipher } from '../../common/crypto/pii';
import { createEncryptionCodec } from '../../common/crypto/payload-codec';
import { buildApp } from '../../api/app';
import { createClaimService, type ClaimService } from '../../api/services/claims';
import { createOpsService } from '../../api/services/ops';
import { createApiMetrics } from '../../api/metrics';
import type { Logger } from '../../common/logger';
import type { SlaPolicy } from '../../domain/sla';
import { observeActivities } from '../../workers/activity-observer';
import { buildBankSim, type BankSimConfig } from '../../sim/bank/bank-sim';
import { listen, type RunningSim } from '../../sim/common';
import { buildGovSim } from '../../sim/gov/gov-sim';
import { buildInsurerSim, type InsurerSimConfig } from '../../sim/insurer/insurer-sim';
import { createActivities } from '../../workers/activities';
import type { ClaimTimings } from '../../workflows/claim/timings';
import type { ActionRequest } from '../../workflows/messages';
import type { Actor, ClaimState, Stage } from '../../workflows/claim/types';
import { connectTestDatabase, dropTestDatabase, testDatabaseUri, testServers, uniqueName, watchForSessions } from './servers';

const silent = createLogger({ level: 'silent' });
const SECRET = (name: string) => `${name}-secret-0123456789abcdef0123456789abcdef`;

export const TEST_PII_KEY = '0f'.repeat(32);

export const TEST_AUTH: AuthSettings = {
  secret: 'test-jwt-secret-0123456789abcdef0123456789',
  issuer: 'fangpin',
  audience: 'fangpin-api',
  tokenTtlMs: 600_000,
};

/** A bearer token for one of the test people. */
export const tokenFor = (actor: Actor): Promise<string> => mintStaffToken(TEST_AUTH, actor);

/** Short durations so every path runs in seconds. */
export const TEST_TIMINGS: ClaimTimings = {
  noticeMs: 1_000,
  insurerRemindAfterMs: { crop: 60_000, health: 60_000, accident: 60_000, property: 60_000, education: 60_000 },
  insurerEscalateAfterMs: { crop: 120_000, health: 120_000, accident: 120_000, property: 120_000, education: 120_000 },
  documentsDueMs: 60_000,
  payoutCheckAfterMs: 3_000,
  activityTimeoutMs: 5_000,
};

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    ...WORKFLOW_BUNDLE_OPTIONS,
    logger: {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      log: () => undefined,
    },
  });
  return bundle;
}

export interface HarnessOptions {
  insurer?: Partial<InsurerSimConfig>;
  bank?: Partial<BankSimConfig>;
  /** Run the worker in this process (default) or leave it to the test (crash test). */
  inProcessWorker?: boolean;
  /** Ops clocks (default: generous, derived from TEST_TIMINGS). */
  ops?: { sla?: Partial<SlaPolicy>; stuckAfterMs?: number };
  /** Excel imports: the lease and sweep periods (default: the service's). */
  imports?: { leaseMs?: number; sweepMs?: number };
  /** Where the API and the worker log (default: nowhere). */
  logger?: Logger;
  /** A database server of the test's own (the crash tests kill it); default: a fresh database on the shared server. */
  mongoUri?: string;
  /** A bank the test runs itself (a process it kills and restarts); default: the in-process bank simulator. */
  bankUrl?: string;
  /** Record the spans of the API, the Temporal client, the workflows and the activities here (default: tracing off). */
  traceExporter?: SpanExporter;
  /** A Temporal of the test's own (the cluster test's); default: the shared server of the run. */
  temporalAddress?: string;
  /** The in-process worker's cache and task slots (default: the SDK's). */
  workerTuning?: Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'>;
}

/** The ops clocks tests start from: nothing is late or stuck within a test's lifetime unless a test says so. */
export const TEST_SLA: SlaPolicy = {
  reviewMs: 600_000,
  systemMs: 600_000,
  payoutMs: 600_000,
  noticeMs: TEST_TIMINGS.noticeMs,
  documentsDueMs: TEST_TIMINGS.documentsDueMs,
  insurerEscalateAfterMs: TEST_TIMINGS.insurerEscalateAfterMs,
};

/**
 * Everything a claim needs, for real: its own database on the shared FerretDB, a worker on the shared Temporal dev
 * server with its own task queue, the API (partner callbacks) on a loopback port, and the simulators it calls.
 */
export async function startClaimHarness({
  insurer = {},
  bank = {},
  inProcessWorker = true,
  ops: opsOptions = {},
  imports: importOptions = {},
  logger = silent,
  mongoUri = testDatabaseUri(),
  bankUrl,
  traceExporter,
  temporalAddress = testServers().temporalAddress,
  workerTuning = {},
}: HarnessOptions = {}) {
  const tracing = startTracing({ serviceName: 'fangpin-test', ...(traceExporter ? { exporter: traceExporter } : {}) });
  const mongo: MongoConnection = await connectTestDatabase(mongoUri, { monitorCommands: true });
  const sessionsOpened = watchForSessions(mongo);
  await ensureIndexes(mongo);
  // Test files share one Temporal namespace but each has its own database, so each starts its daily claim-number
  // sequences in a block of 1,000 numbers of its own, handed out by one atomic counter in a database all files share
  // (random offsets collided: two files of one run drew the same block and the later ran out of free numbers).
  const day = shanghaiDateOf(new Date());
  const blocks = mongo.getClient().db('fangpin_test_shared').collection<{ _id: string; next: number }>('claim_blocks');
  const block = await retryWrite(
    () => blocks.findOneAndUpdate({ _id: day }, { $inc: { next: 1 } }, { upsert: true, returnDocument: 'after' }),
    { upsert: true },
  );
  const offset = 1_000 * (1 + ((block?.next ?? 0) % 900));
  await claimCounterModel(mongo).create({ countyCode: '341324', day, seq: offset });
  const taskQueue = uniqueName('claims');
  // The API's port is bound first (the simulators need its URL before the app exists), never picked and bound later:
  // a port found free can be taken meanwhile as another connection's local port (EADDRINUSE, seen under podman)
  let apiHandler: RequestListener = (_req, res) => void res.writeHead(503).end();
  const apiServer = createServer((req, res) => apiHandler(req, res));
  await new Promise<void>((resolve, reject) => apiServer.once('error', reject).listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;

  const insurers = ['picc-suzhou', 'cpic-anhui'].map((id) => ({
    id,
    sim: buildInsurerSim(
      {
        insurerId: id,
        secrets: [SECRET(id)],
        callbackBaseUrl: apiUrl,
        decisionDelayMs: 100,
        mix: { approved_full: 1 },
        ...insurer,
      },
      silent,
    ),
  }));
  const bankSim = buildBankSim({ secrets: [SECRET('bank')], callbackBaseUrl: apiUrl, settleDelayMs: 100, ...bank }, silent);
  const govSim = buildGovSim({ secrets: [SECRET('gov')], households: 0 }, silent);
  const running: RunningSim[] = [];
  const insurerUrls: Record<string, string> = {};
  for (const i of insurers) {
    const r = await listen(i.sim.app, 0);
    running.push(r);
    insurerUrls[i.id] = r.url;
  }
  const bankRunning = await listen(bankSim.app, 0);
  const govRunning = await listen(govSim.app, 0);
  running.push(bankRunning, govRunning);

  const partners: PartnerRegistry = {
    insurers: insurers.map((i) => ({ id: i.id, url: insurerUrls[i.id]!, secrets: [SECRET(i.id)] })),
    bank: { url: bankUrl ?? bankRunning.url, secrets: [SECRET('bank')] },
    dataSources: { url: govRunning.url, secrets: [SECRET('gov')] },
  };

  const temporal = await connectTracked(temporalAddress);
  const { connection } = temporal;
  const codec = createEncryptionCodec(TEST_PII_KEY);
  const client = new Client({ connection, dataConverter: { payloadCodecs: [codec] }, interceptors: TRACING_CLIENT_INTERCEPTORS });
  const pii = createPiiCipher(TEST_PII_KEY);
  const stores = createStores(mongo, pii);
  const { claims, households } = stores;
  // the registry lives in the database, seeded from the file's form, as in a deployment (re-read every 500 ms here)
  const directory = await openPartnerDirectory({ partners: stores.partners, seed: partners, refreshMs: 500 });
  if (!directory) throw new Error('the partner registry was not seeded');
  /** The files a clerk uploads before listing them: those of a test claim's synthetic documents (domain/synthetic). */
  const storeFiles = async (documents: readonly ClaimDocument[] = []) => {
    for (const content of syntheticFiles(documents))
      await stores.documents.store(content, 'application/pdf', { userId: 'harness', jurisdiction: '341324' });
  };
  const documentsOf = (request: ActionRequest): ClaimDocument[] =>
    request.action === 'supplyDocuments'
      ? request.documents
      : request.action === 'object'
        ? (request.evidence ?? [])
        : request.action === 'resubmit'
          ? (request.changes.documents ?? [])
          : [];
  /**
   * The service as tests call it directly, after the clerk's uploads: the files of the synthetic documents a filing,
   * an appeal or an action lists are stored first (the API's own service, behind `app`, does no such thing: requests
   * through it upload with `upload`).
   */
  const afterUploads = (inner: ClaimService): ClaimService => ({
    ...inner,
    file: async (input, actor, options) => (await storeFiles(input.documents), inner.file(input, actor, options)),
    appeal: async (claimNo, actor, body) => (await storeFiles(body.documents), inner.appeal(claimNo, actor, body)),
    act: async (claimNo, request) => (await storeFiles(documentsOf(request)), inner.act(claimNo, request)),
  });
  const rawServiceWith = (timings: Partial<ClaimTimings> = {}): ClaimService =>
    createClaimService({
      products: SIXIAN_PRODUCTS,
      claims,
      households,
      documents: stores.documents,
      client,
      taskQueue,
      timings: { ...TEST_TIMINGS, ...timings },
    });
  const serviceWith = (timings: Partial<ClaimTimings> = {}): ClaimService => afterUploads(rawServiceWith(timings));
  const apiService = rawServiceWith();
  const service = afterUploads(apiService);
  const ops = createOpsService({
    stats: stores.claimStats,
    claims,
    failures: stores.activityFailures,
    claimService: apiService,
    client,
    sla: { ...TEST_SLA, ...opsOptions.sla },
    stuckAfterMs: opsOptions.stuckAfterMs ?? 600_000,
    temporalUi: { url: 'http://127.0.0.1:8233', namespace: 'default' },
  });
  const metrics = createApiMetrics({ stats: stores.claimStats, referrals: stores.referrals });
  const keyed = createKeyedFiling({ service: apiService, idempotency: stores.idempotency });
  const disasters = createDisasterService({
    disasters: stores.disasters,
    households: stores.households,
    claims: stores.claims,
    products: SIXIAN_PRODUCTS,
    keyed,
  });
  const imports = createImportService({
    disasters,
    claims: { service: apiService, keyed, products: SIXIAN_PRODUCTS },
    imports: stores.imports,
    documents: stores.documents,
    households: stores.households,
    householdService: createHouseholdService({ households: stores.households, claimService: apiService }),
    pii,
    logger,
    ...importOptions,
  });
  imports.startSweeping();
  // the county's settlement feed: read when a test asks (POST /ops/feeds/medical-settlements/scan)
  const feeds = createFeedService({
    client,
    feedCursors: stores.feedCursors,
    taskQueue,
    countyCode: '341324',
    scanIntervalMs: 0,
    timings: TEST_TIMINGS,
  });
  const app = buildApp({
    logger,
    mongo,
    temporal: connection,
    bodyLimit: '1mb',
    readinessTimeoutMs: 2_000,
    claims: { service: apiService, stores, products: SIXIAN_PRODUCTS },
    partners: {
      directory,
      replayWindowSeconds: 300,
      sandbox: createSandboxService({
        client,
        taskQueue,
        directory,
        claims,
        sandboxClaims: stores.sandboxClaims,
        waitMs: 120_000,
      }),
    },
    auth: TEST_AUTH,
    ops,
    imports,
    disasters,
    monitoring: createMonitoringService({
      client,
      documents: stores.documents,
      households: stores.households,
      referrals: stores.referrals,
      timings: TEST_TIMINGS,
      taskQueue,
    }),
    feeds: { service: feeds, countyCode: '341324' },
    metrics,
  });
  apiHandler = app;
  const apiRunning = {
    close: () =>
      new Promise<void>((resolve) => {
        apiServer.close(() => resolve());
        apiServer.closeAllConnections();
      }),
  };
  let cards = 0;

  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  if (inProcessWorker) {
    const { NativeConnection } = await import('@temporalio/worker');
    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      dataConverter: { payloadCodecs: [codec] },
      activities: createActivities({
        connection: mongo,
        partners: directory,
        pii: createPiiCipher(TEST_PII_KEY),
        products: SIXIAN_PRODUCTS,
        partnerTimeoutMs: 5_000,
      }),
      interceptors: { activity: [observeActivities({ failures: stores.activityFailures, logger })] },
      plugins: [tracingPlugin(tracing)],
      ...workerTuning,
    });
    workerRun = worker.run().finally(() => nativeConnection.close());
  }

  return {
    app,
    mongo,
    mongoUri,
    /** Explicit sessions, transactions or change streams the API and worker asked the database for (none, ever). */
    sessionsOpened,
    taskQueue,
    /** The in-process worker, when there is one (its status counts the workflows it holds in its cache). */
    worker,
    /** The registry the database was seeded with (a rotation test changes the keys through the ops API). */
    partners,
    directory,
    apiUrl,
    client,
    claims,
    households,
    stores,
    service,
    serviceWith,
    ops,
    metrics,
    insurerSim: (id = 'picc-suzhou') => insurers.find((i) => i.id === id)!.sim,
    insurerUrl: (id = 'picc-suzhou') => insurerUrls[id]!,
    bankSim,
    bankUrl: bankRunning.url,
    govUrl: govRunning.url,
    govSim,
    /** Stores the files of these synthetic documents directly (for a service a test builds of its own). */
    storeFiles,
    /** Uploads the files of these synthetic documents through the API, as the clerk's browser does before filing. */
    async upload(documents: readonly ClaimDocument[], token: string): Promise<void> {
      for (const content of syntheticFiles(documents)) {
        const response = await fetch(`${apiUrl}/documents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
          body: content,
        });
        if (!response.ok) throw new Error(`upload refused: ${response.status} ${await response.text()}`);
      }
    },
    async registerHousehold(household: Household): Promise<Household> {
      await households.save(household);
      return household;
    },
    /** A registered fixture household of its own, with an id and a card number of its own. */
    async newHousehold(overrides: Partial<Household> = {}): Promise<Household> {
      const base = aHousehold();
      const cardNumber = `62170000${String(Date.now() % 1e7).padStart(7, '0')}${String(++cards).padStart(4, '0')}`;
      const household = aHousehold({
        householdId: uniqueName('HH'),
        payoutAccount: { ...base.payoutAccount, cardNumber },
        ...overrides,
      });
      await households.save(household);
      return household;
    },
    /**
     * An API of its own over this harness's database and tokens, talking to another Temporal (one a test kills, or
     * an address where none listens): for what the API does while its workflow service is away.
     */
    async apiOn(temporal: TemporalClient): Promise<RunningSim> {
      const other = createClaimService({
        products: SIXIAN_PRODUCTS,
        claims,
        households,
        documents: stores.documents,
        client: temporal.client,
        taskQueue: uniqueName('elsewhere'),
        timings: TEST_TIMINGS,
      });
      const app = buildApp({
        logger: createLogger({ level: 'silent' }),
        mongo,
        temporal: temporal.connection,
        bodyLimit: '1mb',
        readinessTimeoutMs: 1_000,
        claims: { service: other, stores, products: SIXIAN_PRODUCTS },
        auth: TEST_AUTH,
      });
      return listen(app, 0);
    },
    /**
     * A property claim of a new household, filed and approved by the village, township and county: from here it goes
     * to the insurer and the bank by itself.
     */
    async approvedByCounty(): Promise<string> {
      const household = await this.newHousehold();
      const { claimNo } = await service.file(aPropertyClaim(household.householdId), people.filer);
      await this.throughCounty(claimNo);
      return claimNo;
    },
    /** A filed claim reviewed by the village, then (after its notice) approved by the township and the county. */
    async throughCounty(claimNo: string, by: Pick<ClaimService, 'act'> = service): Promise<void> {
      await this.waitFor(claimNo, 'village_review');
      await by.act(claimNo, { action: 'review', actor: people.village });
      await this.waitFor(claimNo, 'township_review', () => true, 30_000);
      await by.act(claimNo, { action: 'approve', actor: people.township });
      await by.act(claimNo, { action: 'approve', actor: people.county });
    },
    /** Polls the workflow's state until `stage` (and optionally more) holds. */
    async waitFor(
      claimNo: string,
      stage: Stage,
      extra: (s: ClaimState) => boolean = () => true,
      timeoutMs = 30_000,
    ): Promise<ClaimState> {
      let last: ClaimState | undefined;
      try {
        return await pollUntil(
          `claim ${claimNo} to reach ${stage}`,
          async () => {
            last = await service.state(claimNo);
            return last.stage === stage && extra(last) ? last : undefined;
          },
          { timeoutMs, intervalMs: 100 },
        );
      } catch (error) {
        const trail = last?.history.map((e) => `${e.action}:${e.fromStage}→${e.toStage}`).join(', ');
        throw new Error(`${(error as Error).message}; last stage ${last?.stage ?? 'unknown'}; history: ${trail ?? 'none'}`);
      }
    },
    imports,
    pii,
    async stop(): Promise<void> {
      await imports.stop();
      // the feed runs until stopped (a test that asked for a scan started it)
      await client.workflow
        .getHandle(settlementFeedWorkflowId('341324', taskQueue))
        .terminate('test harness stopped')
        .catch(() => undefined);
      worker?.shutdown();
      await workerRun;
      for (const i of insurers) i.sim.stop();
      bankSim.stop();
      directory.close();
      await apiRunning.close();
      await Promise.all(running.map((r) => r.close()));
      await temporal.close();
      await tracing.shutdown();
      await dropTestDatabase(mongo);
    },
  };
}

export type ClaimHarness = Awaited<ReturnType<typeof startClaimHarness>>;

/**
 * The environment of a worker process (workers/main.ts) serving a harness started with `inProcessWorker: false`: its
 * database, task queue, partners and PII key, on the run's Temporal unless `temporalAddress` says otherwise.
 */
export function workerProcessEnv(h: ClaimHarness, temporalAddress = testServers().temporalAddress): NodeJS.ProcessEnv {
  const partnersFile = join(mkdtempSync(join(tmpdir(), 'fangpin-worker-')), 'partners.json');
  writeFileSync(partnersFile, JSON.stringify(h.partners));
  return {
    MONGODB_URI: h.mongoUri,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    PARTNERS_FILE: partnersFile,
    PII_KEY: TEST_PII_KEY,
    LOG_LEVEL: 'warn',
  };
}

/** The people of the fixture village 341324105003 and its township and county. */
export const people = {
  filer: { userId: 'village-clerk-1', role: 'village', jurisdiction: '341324105003', name: '村干部甲' },
  village: { userId: 'village-head-2', role: 'village', jurisdiction: '341324105003', name: '村主任乙' },
  otherVillage: { userId: 'village-9', role: 'village', jurisdiction: '341324106001', name: '外村干部' },
  township: { userId: 'township-1', role: 'township', jurisdiction: '341324105', name: '镇干部' },
  county: { userId: 'county-1', role: 'county', jurisdiction: '341324', name: '县乡村振兴局' },
  county2: { userId: 'county-2', role: 'county', jurisdiction: '341324', name: '县乡村振兴局复核' },
  ops: { userId: 'ops-1', role: 'ops', jurisdiction: '341324', name: '运维值班' },
} satisfies Record<string, Actor>;
