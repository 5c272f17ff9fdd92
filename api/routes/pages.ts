import { join } from 'node:path';
import express, { Router } from 'express';
import { LOSS_LABELS } from '../../domain/claim';
import { CATEGORY_LABELS, DOCUMENT_LABELS, LINE_LABELS, RELATION_LABELS } from '../../domain/codes';
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
  categories: CATEGORY_LABELS,
  relations: RELATION_LABELS,
  documents: DOCUMENT_LABELS,
  ...LOSS_LABELS,
})};\n`;

/**
 * The browser pages: the ops dashboard (api/dashboard) and the staff workbench (api/workbench), each three static
 * files (page, script, styles), and the labels script both use. The pages hold no data; their scripts read the API
 * with the session cookie of the account signed in on them.
 */
export function pagesRouter(): Router {
  const router = Router();
  const page = (path: string, dir: string) => {
    const files = join(__dirname, '..', dir);
    router.get(path, (_req, res) => res.sendFile(join(files, 'index.html')));
    router.use(path, express.static(files, { index: false }));
  };
  router.get('/dashboard/labels.js', (_req, res) => res.type('text/javascript').send(LABELS_SCRIPT));
  page('/dashboard', 'dashboard');
  page('/app', 'workbench');
  return router;
}
