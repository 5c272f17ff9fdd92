import type { AddressInfo } from 'node:net';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { exitOnSignal, failStartup } from '../common/shutdown';
import { createTemporalClient } from '../common/temporal';
import { connectMongo } from '../db/connection';
import { buildApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.log.level, name: 'fangpin-api' });
  const mongo = await connectMongo(config.mongo);
  const temporal = createTemporalClient(config.temporal);

  const app = buildApp({
    logger,
    mongo,
    temporal: temporal.connection,
    bodyLimit: config.api.bodyLimit,
    readinessTimeoutMs: config.readinessTimeoutMs,
  });
  const server = app.listen(config.api.port, config.api.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { address, port } = server.address() as AddressInfo;
  logger.info({ url: `http://${address}:${port}` }, 'api listening');

  exitOnSignal(logger, config.shutdownGraceMs, async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await temporal.connection.close();
    await mongo.close();
  });
}

main().catch(failStartup);
