import { MEASURE_KIND_LABELS, MEASURE_STATUS_LABELS } from '../../domain/assistance';
import { DISASTER_LABELS } from '../../domain/disaster';
import { TRIGGER_LABELS } from '../../domain/early-warning';
import {
  MONITORING_EVENT_LABELS,
  MONITORING_OUTCOME_LABELS,
  MONITORING_STAGE_LABELS,
  REFERRAL_KIND_LABELS,
} from '../../domain/monitoring';
import { divisionTable } from '../../domain/divisions';
import { shanghaiDateOf } from '../../domain/dates';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { AppError } from '../../common/errors';
import { LOSS_LABELS } from '../../domain/claim';
import { CATEGORY_LABELS, DOCUMENT_LABELS, LABOUR_LABELS, LINE_LABELS, RELATION_LABELS } from '../../domain/codes';
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
  labour: LABOUR_LABELS,
  documents: DOCUMENT_LABELS,
  ...LOSS_LABELS,
  disasterTypes: DISASTER_LABELS,
  monitoringStages: MONITORING_STAGE_LABELS,
  monitoringEvents: MONITORING_EVENT_LABELS,
  warningRules: TRIGGER_LABELS,
  referralKinds: REFERRAL_KIND_LABELS,
  monitoringOutcomes: MONITORING_OUTCOME_LABELS,
  measureKinds: MEASURE_KIND_LABELS,
  measureStatuses: MEASURE_STATUS_LABELS,
  /** The county's villages (this year's table): code → 乡镇村 name, for the pickers of the disaster page. */
  villages: Object.fromEntries(
    divisionTable(Number(shanghaiDateOf(new Date()).slice(0, 4))).townships.flatMap((t) =>
      t.villages.map((v) => [v.code, { zh: `${t.name}${v.name}`, en: `${t.name}${v.name}` }]),
    ),
  ),
})};\n`;

/**
 * Where the workbench's build is (web/, bundled by Vite into dist/web): beside the sources when run from them
 * (api/routes → dist/web), inside dist when compiled (dist/api/routes → dist/web).
 */
const WEB_BUILDS = [join(__dirname, '..', '..', 'dist', 'web'), join(__dirname, '..', '..', 'web')];
const webBuild = () => WEB_BUILDS.find((dir) => existsSync(join(dir, 'index.html')));

/** The workbench's page and assets, from its build (looked up per request: a build made while the API runs is served). */
function workbench(): RequestHandler {
  const statics = new Map<string, RequestHandler>();
  return (req, res, next) => {
    const dir = webBuild();
    if (!dir) {
      return next(
        new AppError('DEPENDENCY_UNAVAILABLE', {
          zh: '工作台页面尚未构建：请运行 npm run build:web（npm start 和 npm test 会自动构建）。',
          en: 'The workbench is not built: run npm run build:web (npm start and npm test build it).',
        }),
      );
    }
    if (req.path === '/' || req.path === '/index.html') {
      res.setHeader('cache-control', 'no-cache');
      return res.sendFile(join(dir, 'index.html'));
    }
    if (!statics.has(dir)) statics.set(dir, express.static(dir, { index: false, immutable: true, maxAge: '365d' }));
    statics.get(dir)!(req, res, next);
  };
}

/**
 * The browser pages: the staff workbench (web/, a Vue and Element Plus application built by Vite; its 运行监控 page
 * is the ops dashboard) and the labels script it reads. The pages hold no data; their scripts read the API with the
 * session cookie of the account signed in on them.
 */
export function pagesRouter(): Router {
  const router = Router();
  // the dashboard's address before it became a page of the workbench
  router.get('/dashboard', (_req, res) => res.redirect(302, '/app/#/ops'));
  router.get('/app/labels.js', (_req, res) =>
    res.type('text/javascript').setHeader('cache-control', 'no-cache').send(LABELS_SCRIPT),
  );
  // /app → /app/ (the build's asset paths are relative to it)
  router.get('/app', (req, res, next) => (req.originalUrl.split('?')[0] === '/app' ? res.redirect(301, '/app/') : next()));
  router.use('/app', workbench());
  return router;
}
