import { join } from 'node:path';
import express, { Router } from 'express';
import { LINE_LABELS } from '../../domain/codes';
import { ACTION_LABELS, EVENT_LABELS, PARTY_LABELS, ROLE_LABELS, STAGE_LABELS, STATUS_LABELS } from '../../domain/lifecycle';

/** The domain's labels for the page's script, so the names of stages, statuses, lines, parties, roles, actions and events have one source. */
const LABELS_SCRIPT = `window.FANGPIN_LABELS = ${JSON.stringify({
  stages: STAGE_LABELS,
  statuses: STATUS_LABELS,
  lines: LINE_LABELS,
  parties: PARTY_LABELS,
  roles: ROLE_LABELS,
  actions: ACTION_LABELS,
  events: EVENT_LABELS,
})};\n`;

/**
 * The ops dashboard: three static files (page, script, styles) from api/dashboard, and the labels script. The page
 * itself holds no data; its script reads the ops API with the operator's bearer token.
 */
export function dashboardRouter(): Router {
  const router = Router();
  const files = join(__dirname, '..', 'dashboard');
  router.get('/dashboard', (_req, res) => res.sendFile(join(files, 'index.html')));
  router.get('/dashboard/labels.js', (_req, res) => res.type('text/javascript').send(LABELS_SCRIPT));
  router.use('/dashboard', express.static(files, { index: false }));
  return router;
}
