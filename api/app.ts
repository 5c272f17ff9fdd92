import express, { type Express } from 'express';
import type { Connection as MongoConnection } from 'mongoose';
import type { Connection as TemporalConnection } from '@temporalio/client';
import type { Logger } from '../common/logger';
import { notFoundHandler, problemHandler } from '../common/http/problem';
import { jsonKeepingRawBody } from '../common/partners/receiver';
import type { PartnerDirectory } from '../common/partners/directory';
import type { Stores } from '../db/stores';
import type { Product } from '../domain/product';
import { authenticate } from './auth/middleware';
import type { AuthSettings } from './auth/tokens';
import { jsonOnly } from './middleware/json-only';
import { requestContext } from './middleware/request-context';
import { traceRequests } from './middleware/tracing';
import type { ApiMetrics } from './metrics';
import { claimRouter } from './routes/claims';
import { pagesRouter } from './routes/pages';
import { documentRouter } from './routes/documents';
import { noticeRouter } from './routes/notices';
import { createNoticeService } from './services/notices';
import { docsRouter } from './routes/docs';
import { healthRouter } from './routes/health';
import { householdRouter } from './routes/households';
import { assistanceRouter } from './routes/assistance';
import { feedRouter } from './routes/feeds';
import type { FeedService } from './services/feeds';
import { exportRouter } from './routes/exports';
import { importRouter } from './routes/imports';
import { referralRouter } from './routes/referrals';
import type { MonitoringService } from './services/monitoring';
import type { ImportService } from './services/imports';
import { disasterRouter } from './routes/disasters';
import type { DisasterService } from './services/disasters';
import { opsRouter } from './routes/ops';
import { queueRouter } from './routes/queue';
import { sessionRouter } from './routes/session';
import { userRouter } from './routes/users';
import { createAccountService } from './services/accounts';
import { partnerRouter } from './routes/partners';
import { partnerAdminRouter } from './routes/partner-admin';
import { createPartnerAdminService } from './services/partners';
import type { SandboxService } from './services/sandbox';
import type { ClaimService } from './services/claims';
import type { OpsService } from './services/ops';

export interface AppDeps {
  logger: Logger;
  mongo: MongoConnection;
  temporal: TemporalConnection;
  bodyLimit: string;
  readinessTimeoutMs: number;
  /** The claim use cases and stores; absent in a health-only app. */
  claims?: { service: ClaimService; stores: Stores; products: readonly Product[]; filingLeaseMs?: number };
  /** Staff bearer tokens; without them the staff API is not mounted. */
  auth?: AuthSettings;
  /** Partner callbacks; without a registry they are not mounted. */
  partners?: { directory: PartnerDirectory; replayWindowSeconds: number; sandbox?: SandboxService };
  /** The ops views and operator actions (mounted with the staff API). */
  ops?: OpsService;
  /** Excel imports and batch jobs (mounted with the staff API). */
  imports?: ImportService;
  /** Disaster events and their batch filing (mounted with the staff API, beside imports). */
  disasters?: DisasterService;
  /** The monitoring procedure of referrals (their workflows). */
  monitoring?: MonitoringService;
  /** The government data feeds (the county's settlement feed). */
  feeds?: { service: FeedService; countyCode: string };
  /** Prometheus metrics, served at /metrics. */
  metrics?: ApiMetrics;
}

/** Builds the Express app from its dependencies; listening is the caller's business (server.ts, tests). */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.metrics) app.use(deps.metrics.middleware);
  app.use(traceRequests);
  app.use(requestContext(deps.logger));
  // JSON bodies keep their raw bytes: partner callbacks are verified over exactly what was sent.
  app.use(jsonOnly);
  app.use(jsonKeepingRawBody(deps.bodyLimit));

  app.use(healthRouter({ mongo: deps.mongo, temporal: deps.temporal, timeoutMs: deps.readinessTimeoutMs }));
  app.use(docsRouter());
  app.use(pagesRouter());
  const metrics = deps.metrics;
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      const { contentType, body } = await metrics.render();
      res.type(contentType).send(body);
    });
  }
  const claims = deps.claims;
  if (claims && deps.partners) {
    app.use(
      partnerRouter({
        directory: deps.partners.directory,
        registry: claims.stores.partners,
        logger: deps.logger,
        ...(deps.partners.sandbox ? { sandbox: deps.partners.sandbox } : {}),
        replayWindowSeconds: deps.partners.replayWindowSeconds,
        claimService: claims.service,
        claims: claims.stores.claims,
        deliveries: claims.stores.deliveries,
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      }),
    );
  }
  if (claims && deps.auth) {
    const staff = express.Router();
    const accounts = createAccountService({ users: claims.stores.users, auth: deps.auth });
    const authenticated = authenticate(deps.auth, accounts);
    // authentication guards the staff paths only: an unknown path is a 404 for everyone, not a 401
    staff.use(
      [
        '/claims',
        '/disasters',
        '/documents',
        '/exports',
        '/households',
        '/imports',
        '/notices',
        '/ops',
        '/queue',
        '/referrals',
        '/admin',
      ],
      authenticated,
    );
    staff.use(sessionRouter({ accounts, auth: deps.auth, authenticated }));
    staff.use(userRouter({ accounts }));
    staff.use(
      claimRouter({
        service: claims.service,
        claims: claims.stores.claims,
        idempotency: claims.stores.idempotency,
        filingLeaseMs: claims.filingLeaseMs,
      }),
    );
    staff.use(
      exportRouter({
        claims: claims.stores.claims,
        exposure: claims.stores.exposure,
        households: claims.stores.households,
      }),
    );
    staff.use(documentRouter({ documents: claims.stores.documents, service: claims.service }));
    staff.use(
      noticeRouter({
        notices: createNoticeService({
          claims: claims.stores.claims,
          households: claims.stores.households,
          products: claims.products,
          referrals: claims.stores.referrals,
          ...(deps.monitoring ? { monitoring: deps.monitoring } : {}),
        }),
      }),
    );
    staff.use(
      householdRouter({ households: claims.stores.households, exposure: claims.stores.exposure, claimService: claims.service }),
      assistanceRouter({ households: claims.stores.households, plans: claims.stores.assistancePlans }),
    );
    staff.use(
      referralRouter({ referrals: claims.stores.referrals, ...(deps.monitoring ? { monitoring: deps.monitoring } : {}) }),
    );
    if (deps.imports) staff.use(importRouter({ imports: deps.imports, products: claims.products }));
    if (deps.imports && deps.disasters) staff.use(disasterRouter({ disasters: deps.disasters, imports: deps.imports }));
    if (deps.feeds) staff.use(feedRouter({ feeds: deps.feeds.service, countyCode: deps.feeds.countyCode }));
    if (deps.partners) {
      const service = createPartnerAdminService({
        partners: claims.stores.partners,
        directory: deps.partners.directory,
        // a key that verified a message within two replay windows is still in use
        inUseWithinMs: 2 * deps.partners.replayWindowSeconds * 1_000,
      });
      // before the ops router, whose /ops paths are for ops and county staff: the registry is ops' and the admin's
      staff.use(partnerAdminRouter({ service, ...(deps.partners.sandbox ? { sandbox: deps.partners.sandbox } : {}) }));
    }
    if (deps.ops) staff.use(opsRouter({ ops: deps.ops }), queueRouter({ ops: deps.ops }));
    app.use(staff);
  }

  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
