import type { AddressInfo } from 'node:net';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { startTracing } from '../common/tracing';
import { loadPartnerRegistry } from '../common/partners/registry';
import { exitOnSignal, failStartup, stopWithSupervisor, untilAvailable } from '../common/shutdown';
import { createTemporalClient } from '../common/temporal';
import { connectWithIndexes } from '../db/indexes';
import { backfillClaimReadModel } from '../db/backfill';
import { createStores } from '../db/stores';
import { loadProducts } from '../common/products';
import { createPiiCipher } from '../common/crypto/pii';
import { createEncryptionCodec } from '../common/crypto/payload-codec';
import { buildApp } from './app';
import { createHouseholdService } from './services/households';
import { createImportService } from './services/imports';
import { createMonitoringService } from './services/monitoring';
import { createDisasterService } from './services/disasters';
import { createKeyedFiling } from './services/keyed-filing';
import { createApiMetrics } from './metrics';
import { createClaimService } from './services/claims';
import { createOpsService } from './services/ops';
import { createFeedService } from './services/feeds';
import { MESSAGE_RETENTION_MS } from './services/partners';
import { createSandboxService } from './services/sandbox';
import { openPartnerDirectory } from '../db/partner-directory';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.log.level, name: 'fangpin-api' });
  const tracing = startTracing({ serviceName: 'fangpin-api', otlpEndpoint: config.otlpEndpoint });
  const seed = config.partnersFile ? loadPartnerRegistry(config.partnersFile) : undefined;
  if (!config.auth) logger.warn('AUTH_JWT_SECRET is not set: the staff API is disabled');
  stopWithSupervisor();
  // started while the database is down (a restart of the stack, a slow server): wait for it rather than exit
  const mongo = await untilAvailable('the database', () => connectWithIndexes(config.mongo), { logger });
  const backfilled = await untilAvailable('the database', () => backfillClaimReadModel(mongo), { logger });
  if (backfilled > 0) logger.info({ claims: backfilled }, 'read model backfilled with stageSince/filedOn');
  if (!config.piiKey) throw new Error('PII_KEY is required: personal numbers and workflow payloads are stored encrypted');
  const temporal = createTemporalClient({ ...config.temporal, payloadCodec: createEncryptionCodec(config.piiKey) });
  const pii = createPiiCipher(config.piiKey);
  const stores = createStores(mongo, pii);
  const directory = await untilAvailable(
    'the database',
    () =>
      openPartnerDirectory({ partners: stores.partners, refreshMs: config.partnerRefreshMs, logger, ...(seed ? { seed } : {}) }),
    { logger },
  );
  if (!directory)
    logger.warn('no partner registry (PARTNERS_FILE unset and none in the database): partner callbacks are disabled');
  const products = loadProducts(config.productsDir);
  const service = createClaimService({
    products,
    claims: stores.claims,
    households: stores.households,
    documents: stores.documents,
    client: temporal.client,
    taskQueue: config.temporal.taskQueue,
    timings: config.claimTimings,
  });

  const ops = createOpsService({
    stats: stores.claimStats,
    claims: stores.claims,
    failures: stores.activityFailures,
    claimService: service,
    client: temporal.client,
    sla: config.ops.sla,
    stuckAfterMs: config.ops.stuckAfterMs,
    ...(config.temporal.uiUrl ? { temporalUi: { url: config.temporal.uiUrl, namespace: config.temporal.namespace } } : {}),
  });

  const keyed = createKeyedFiling({ service, idempotency: stores.idempotency, leaseMs: config.filingLeaseMs });
  const disasters = createDisasterService({
    disasters: stores.disasters,
    households: stores.households,
    claims: stores.claims,
    products,
    keyed,
  });
  const imports = createImportService({
    disasters,
    claims: { service, keyed, products },
    imports: stores.imports,
    documents: stores.documents,
    households: stores.households,
    householdService: createHouseholdService({ households: stores.households, claimService: service }),
    pii,
    logger,
  });

  const feeds = createFeedService({
    client: temporal.client,
    feedCursors: stores.feedCursors,
    taskQueue: config.temporal.taskQueue,
    countyCode: config.feeds.countyCode,
    scanIntervalMs: config.feeds.scanIntervalMs,
    timings: config.claimTimings,
  });

  const app = buildApp({
    logger,
    mongo,
    temporal: temporal.connection,
    bodyLimit: config.api.bodyLimit,
    readinessTimeoutMs: config.readinessTimeoutMs,
    claims: { service, stores, products, filingLeaseMs: config.filingLeaseMs },
    ops,
    imports,
    disasters,
    monitoring: createMonitoringService({
      client: temporal.client,
      documents: stores.documents,
      households: stores.households,
      referrals: stores.referrals,
      timings: config.claimTimings,
      taskQueue: config.temporal.taskQueue,
    }),
    feeds: { service: feeds, countyCode: config.feeds.countyCode },
    metrics: createApiMetrics({ stats: stores.claimStats, referrals: stores.referrals }),
    ...(config.auth ? { auth: config.auth } : {}),
    ...(directory
      ? {
          partners: {
            directory,
            replayWindowSeconds: config.partnerReplayWindowSeconds,
            sandbox: createSandboxService({
              client: temporal.client,
              taskQueue: config.temporal.taskQueue,
              directory,
              claims: stores.claims,
              sandboxClaims: stores.sandboxClaims,
            }),
          },
        }
      : {}),
  });
  const server = app.listen(config.api.port, config.api.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { address, port } = server.address() as AddressInfo;
  logger.info({ url: `http://${address}:${port}` }, 'api listening');

  // household changes a crashed process applied but did not tell their open claims: told now, then every minute
  const tellUntold = () =>
    service
      .tellUntoldChanges()
      .then((n) => n > 0 && logger.info({ changes: n }, 'told open claims of household changes'))
      .catch((error: unknown) => logger.warn({ err: error }, 'telling open claims of household changes failed; will retry'));
  // ghost rows of filings that died between the read model and the workflow (versions before the workflow wrote it)
  const removeGhosts = () =>
    service
      .removeGhostClaims()
      .then((removed) => removed.length > 0 && logger.warn({ claims: removed }, 'removed claims whose workflow never started'))
      .catch((error: unknown) => logger.warn({ err: error }, 'looking for claims without a workflow failed; will retry'));
  // the county's settlement feed runs as one workflow: started here unless it runs already (retried with the sweep)
  const startFeeds = () =>
    feeds
      .ensureRunning()
      .catch((error: unknown) => logger.warn({ err: error }, 'starting the settlement feed failed; will retry'));
  void tellUntold();
  void removeGhosts();
  void startFeeds();
  imports.startSweeping(); // imports whose process died are taken over
  const sweep = setInterval(() => void tellUntold().then(removeGhosts).then(startFeeds), 60_000);
  sweep.unref();
  // the partners' message log keeps 30 days
  const pruneMessages = () =>
    stores.partners
      .pruneMessages(new Date(Date.now() - MESSAGE_RETENTION_MS))
      .catch((error: unknown) => logger.warn({ err: error }, 'pruning the partner message log failed; will retry'));
  const prune = setInterval(() => void pruneMessages(), 3_600_000);
  prune.unref();

  exitOnSignal(logger, config.shutdownGraceMs, async () => {
    clearInterval(sweep);
    clearInterval(prune);
    directory?.close();
    await imports.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await temporal.connection.close();
    await mongo.close();
    await tracing.shutdown();
  });
}

main().catch(failStartup);
