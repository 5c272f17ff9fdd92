/**
 * One workflow per county and deployment (id `settlement-feed-<county>-<task queue>`): reads the medical-insurance bureau's settlement feed a
 * page at a time, starts the procedure of each referral a page's settlements raised (or tells a running one the
 * finding), then moves the county's cursor past the page. Waits `intervalMs` when the feed is read to its end, or
 * until ops ask for a scan now; continues as new before its history grows long.
 */
import { condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../workers/activities';
import { startOrTellMonitoring } from '../monitoring/start';
import type { MonitoringTimings } from '../monitoring/workflow';

export const settlementFeedWorkflowId = (countyCode: string, taskQueue: string) => `settlement-feed-${countyCode}-${taskQueue}`;
/** Ops: read the feed now instead of at the next interval. */
export const scanNowSignal = defineSignal('scanNow');

export interface SettlementFeedInput {
  countyCode: string;
  intervalMs: number;
  pageSize: number;
  /** The procedure's timings, for the referrals the feed raises. */
  timings: MonitoringTimings;
}

const PAGES_PER_RUN = 200;

export async function settlementFeedWorkflow(input: SettlementFeedInput): Promise<never> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: Math.max(60_000, input.timings.activityTimeoutMs),
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
  let requested = false;
  setHandler(scanNowSignal, () => {
    requested = true;
  });
  for (let pages = 0; pages < PAGES_PER_RUN && !workflowInfo().continueAsNewSuggested; pages++) {
    requested = false;
    const { referrals, ...page } = await acts.scanSettlementFeed({ countyCode: input.countyCode, pageSize: input.pageSize });
    // every referral of the page, also those recorded by an earlier attempt of the scan (a crash before it answered):
    // a procedure already running is told the finding, once
    for (const r of referrals) {
      await startOrTellMonitoring(
        {
          referralId: r.referralId,
          householdId: r.householdId,
          divisionCode: r.divisionCode,
          openedAt: new Date().toISOString(),
          timings: input.timings,
        },
        { key: r.key, zh: r.zh, at: new Date().toISOString() },
      );
    }
    await acts.commitFeedPage({
      countyCode: input.countyCode,
      page: { ...page, raised: referrals.filter((r) => r.recorded).length },
    });
    if (!page.more) await condition(() => requested, input.intervalMs);
  }
  return continueAsNew<typeof settlementFeedWorkflow>(input);
}
