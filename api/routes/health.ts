import { Router } from 'express';
import { AppError } from '../../common/errors';
import { checkReadiness, type ReadinessDeps } from '../services/readiness';

/** `/healthz`: the process is alive. `/readyz`: its dependencies answer; 503 names the ones that do not. */
export function healthRouter(deps: ReadinessDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (req, res) => {
    const readiness = await checkReadiness(deps);
    // Failure messages can carry internal addresses: they go to the log, the response says only up/down.
    const checks = Object.fromEntries(
      Object.entries(readiness.checks).map(([name, { status, latencyMs }]) => [name, { status, latencyMs }]),
    );
    if (!readiness.ready) {
      req.log.warn({ checks: readiness.checks }, 'not ready');
      const down = Object.entries(readiness.checks)
        .filter(([, check]) => check.status === 'down')
        .map(([name]) => name);
      const detail = { zh: `服务未就绪：${down.join('、')} 不可用。`, en: `Not ready: ${down.join(', ')} down.` };
      throw new AppError('DEPENDENCY_UNAVAILABLE', detail, {
        down,
        checks,
        retryAfterSeconds: 5,
      });
    }
    res.json({ status: 'ready', checks });
  });

  return router;
}
