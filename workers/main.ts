import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { failStartup, stopWithSupervisor, untilAvailable } from '../common/shutdown';
import { connectWithIndexes } from '../db/indexes';
import { createActivities } from './activities';
import { loadPartnerRegistry } from '../common/partners/registry';
import { loadProducts } from '../common/products';
import { createPiiCipher } from '../common/crypto/pii';
import { createEncryptionCodec } from '../common/crypto/payload-codec';
import { installTemporalRuntime } from './temporal-runtime';
import { observeActivities } from './activity-observer';
import { startTracing } from '../common/tracing';
import { tracingPlugin } from './tracing';
import { WORKFLOW_BUNDLE_OPTIONS } from './workflow-bundle';
import { createActivityFailureRepository } from '../db/repositories/activity-failures';
import { createPartnerRepository } from '../db/repositories/partners';
import { openPartnerDirectory } from '../db/partner-directory';
import { workerTuning } from './tuning';

/**
 * The worker process. Temporal's Runtime already traps SIGINT/SIGTERM and drains the worker;
 * `worker.run()` resolves once in-flight tasks are done, then the connections close.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.log.level, name: 'fangpin-worker' });
  installTemporalRuntime(logger, config.log.level, config.worker.metricsAddress);
  const tracing = startTracing({ serviceName: 'fangpin-worker', otlpEndpoint: config.otlpEndpoint });
  const seed = config.partnersFile ? loadPartnerRegistry(config.partnersFile) : undefined;
  const products = loadProducts(config.productsDir);
  if (!config.piiKey) throw new Error('PII_KEY is required by the worker: household records are encrypted');
  const pii = createPiiCipher(config.piiKey);
  stopWithSupervisor();
  // started while a server is down: wait for the database and Temporal rather than exit
  const mongo = await untilAvailable('the database', () => connectWithIndexes(config.mongo), { logger });
  const partners = await untilAvailable(
    'the database',
    () =>
      openPartnerDirectory({
        partners: createPartnerRepository(mongo, pii),
        refreshMs: config.partnerRefreshMs,
        logger,
        ...(seed ? { seed } : {}),
      }),
    { logger },
  );
  if (!partners)
    throw new Error(
      'no partner registry: set PARTNERS_FILE (it seeds the registry in the database) to name the insurers, the bank and the data service',
    );
  const connection = await untilAvailable('Temporal', () => NativeConnection.connect({ address: config.temporal.address }), {
    logger,
  });

  const tuning = workerTuning(config.worker);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...workflowCode(config.worker.workflowBundle),
    activities: createActivities({ connection: mongo, partners, pii, products, partnerTimeoutMs: config.partnerTimeoutMs }),
    shutdownGraceTime: config.shutdownGraceMs,
    ...tuning,
    dataConverter: { payloadCodecs: [createEncryptionCodec(config.piiKey)] },
    interceptors: { activity: [observeActivities({ failures: createActivityFailureRepository(mongo), logger })] },
    plugins: [tracingPlugin(tracing)],
  });
  logger.info(
    { taskQueue: config.temporal.taskQueue, metrics: config.worker.metricsAddress ?? 'off', ...tuning },
    'worker running',
  );
  await worker.run();
  partners.close();
  await tracing.shutdown();
  await connection.close();
  await mongo.close();
  logger.info('worker stopped');
}

/** The bundle named by WORKFLOW_BUNDLE, else the prebuilt one next to a compiled worker (dist/workflow-bundle.js), else the sources, bundled at start. */
function workflowCode(
  named: string | undefined,
): Pick<WorkerOptions, 'workflowBundle'> | Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'> {
  const prebuilt = named ?? join(__dirname, '..', 'workflow-bundle.js');
  if (named && !existsSync(named))
    throw new Error(`WORKFLOW_BUNDLE names no file: ${named} (npm run build makes dist/workflow-bundle.js)`);
  if (existsSync(prebuilt)) return { workflowBundle: { codePath: prebuilt } };
  const { workflowsPath, webpackConfigHook } = WORKFLOW_BUNDLE_OPTIONS;
  return { workflowsPath, bundlerOptions: { webpackConfigHook } };
}

main().catch(failStartup);
