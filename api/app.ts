import express, { type Express } from 'express';
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
}

/** Builds the Express app from its dependencies; listening is the caller's business (server.ts, tests). */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestContext(deps.logger));
  app.use(express.json({ limit: deps.bodyLimit, strict: true }));

  app.use(healthRouter({ mongo: deps.mongo, temporal: deps.temporal, timeoutMs: deps.readinessTimeoutMs }));

  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
