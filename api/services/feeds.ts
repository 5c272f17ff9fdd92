/**
 * The government data feeds as the API runs them: the county's settlement-feed workflow kept running (started at
 * start-up, idempotently), a scan on ops' request, and where the feed stands (the county's cursor and counts, the
 * workflow's status).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FeedCursorRepository, FeedPosition } from '../../db/repositories/feed-cursors';
import type { ClaimTimings } from '../../workflows/claim/timings';
import { scanNowSignal, settlementFeedWorkflowId, type SettlementFeedInput } from '../../workflows/feeds/settlement-feed';
import { monitoringTimingsOf } from '../../workflows/monitoring/workflow';

export interface FeedServiceDeps {
  client: Client;
  feedCursors: FeedCursorRepository;
  taskQueue: string;
  countyCode: string;
  /** 0: the feed is not read on a schedule (a scan ops ask for still runs the workflow). */
  scanIntervalMs: number;
  timings: ClaimTimings;
  pageSize?: number;
}

export interface FeedStatus extends FeedPosition {
  workflowId: string;
  /** RUNNING, or null when it has never run. */
  workflow: string | null;
  scanIntervalMs: number;
}

export function createFeedService({
  client,
  feedCursors,
  taskQueue,
  countyCode,
  scanIntervalMs,
  timings,
  pageSize = 200,
}: FeedServiceDeps) {
  const workflowId = settlementFeedWorkflowId(countyCode, taskQueue);
  const input: SettlementFeedInput = {
    countyCode,
    // a feed read only on request waits a day between pages at its end (a scan request wakes it)
    intervalMs: scanIntervalMs > 0 ? scanIntervalMs : 86_400_000,
    pageSize,
    timings: monitoringTimingsOf(timings),
  };
  return {
    /** Starts the county's feed workflow unless it runs already (start-up; safe from every API process at once). */
    async ensureRunning(): Promise<void> {
      if (scanIntervalMs <= 0) return;
      await client.workflow.start('settlementFeedWorkflow', {
        workflowId,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    },

    /** Reads the feed now (starting its workflow when it is not running). */
    async scanNow(): Promise<{ workflowId: string }> {
      await client.workflow.signalWithStart('settlementFeedWorkflow', {
        workflowId,
        taskQueue,
        args: [input],
        signal: scanNowSignal,
        signalArgs: [],
      });
      return { workflowId };
    },

    async status(): Promise<FeedStatus> {
      const position = await feedCursors.position('medical-settlements', countyCode);
      let workflow: string | null = null;
      try {
        workflow = (await client.workflow.getHandle(workflowId).describe()).status.name;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      return { ...position, workflowId, workflow, scanIntervalMs };
    },
  };
}

export type FeedService = ReturnType<typeof createFeedService>;
