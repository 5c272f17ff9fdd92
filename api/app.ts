import express, { type Express } from 'express';

import { jsonKeepingRawBody } from '../common/partners/receiver';
import type { PartnerRegistry } from '../common/partners/registry';
import type { ClaimRepository } from '../db/repositories/claims';
import type { DeliveryRepository } from '../db/repositories/deliveries';
import type { ClaimService } from './services/claims';
import { partnerRouter } from './routes/partners';
import type { Connection as MongoConnection } from 'mongoose';
import type { Connection as TemporalConnection } from '@temporalio/client';
import type { Logger } from '../common/logger';
import { requestContext } from './middleware/request-context';
import { notFoundHandler, problemHandler } from '../common/http/problem';
import { healthRouter } from './routes/health';

export interface AppDeps {
  logger: Logger;
  mongo: MongoConnection;
  temporal: TemporalConnection;
  bodyLimit: string;
  readinessTimeoutMs: number;
  /** The claim use cases; absent in a health-only app. */
  claims?: { service: ClaimService; repository: ClaimRepository; deliveries: DeliveryRepository };
  partners?: { registry: PartnerRegistry; replayWindowSeconds: number };
}

/** Builds the Express app from its dependencies; listening is the caller's business (server.ts, tests). */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger));
  // JSON bodies keep their raw bytes: partner callbacks are verified over exactly what was sent.
  app.use(jsonKeepingRawBody(deps.bodyLimit));

  app.use(healthRouter({ mongo: deps.mongo, temporal: deps.temporal, timeoutMs: deps.readinessTimeoutMs }));
  if (deps.claims && deps.partners) {
    app.use(
      partnerRouter({
        partners: deps.partners.registry,
        replayWindowSeconds: deps.partners.replayWindowSeconds,
        claimService: deps.claims.service,
        claims: deps.claims.repository,
        deliveries: deps.claims.deliveries,
      }),
    );
  }

  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
