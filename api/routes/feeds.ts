import { Router } from 'express';
import { AppError } from '../../common/errors';
import { isInJurisdiction } from '../../domain/divisions';
import { actorOf, requireRole } from '../auth/middleware';
import type { FeedService } from '../services/feeds';

/** Ops: the government data feeds this deployment reads, where each stands, and a scan now. */
export function feedRouter({ feeds, countyCode }: { feeds: FeedService; countyCode: string }): Router {
  const router = Router();
  const inCounty = (jurisdiction: string) => {
    if (!isInJurisdiction(countyCode, jurisdiction))
      throw new AppError('FORBIDDEN', {
        zh: `数据源按县（${countyCode}）读取，仅县级人员和运维可查看或触发。`,
        en: `The feeds are read for county ${countyCode}: county staff and ops only.`,
      });
  };

  router.get('/ops/feeds', requireRole('ops', 'county'), async (_req, res) => {
    inCounty(actorOf(res).jurisdiction);
    const status = await feeds.status();
    res.json({
      items: [
        {
          ...status,
          label: { zh: '医保结算数据（大额自付未报案预警）', en: 'medical-insurance settlements (large stays with no claim)' },
          links: { scan: '/ops/feeds/medical-settlements/scan' },
        },
      ],
    });
  });

  router.post('/ops/feeds/medical-settlements/scan', requireRole('ops', 'county'), async (_req, res) => {
    inCounty(actorOf(res).jurisdiction);
    const started = await feeds.scanNow();
    res.status(202).json({ ...started, status: 'scanning', links: { feeds: '/ops/feeds' } });
  });

  return router;
}
