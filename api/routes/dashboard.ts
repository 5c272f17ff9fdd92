import { join } from 'node:path';
import express, { Router } from 'express';

/**
 * The ops dashboard: three static files (page, script, styles) from api/dashboard. The page itself holds no data;
 * its script reads the ops API with the operator's bearer token.
 */
export function dashboardRouter(): Router {
  const router = Router();
  const files = join(__dirname, '..', 'dashboard');
  router.get('/dashboard', (_req, res) => res.sendFile(join(files, 'index.html')));
  router.use('/dashboard', express.static(files, { index: false }));
  return router;
}
