import v8 from 'node:v8';
import type { WorkerOptions } from '@temporalio/worker';
import type { loadConfig } from '../common/config';

/** The SDK's default number of workflow task slots. */
const SDK_WORKFLOW_TASK_SLOTS = 40;

/** Heap a cached workflow is given when the cache size is not set (MiB), and the largest such cache. */
const HEAP_PER_CACHED_WORKFLOW_MIB = 4;
const LARGEST_DEFAULT_CACHE = 500;

/**
 * The workflow cache when WORKER_MAX_CACHED_WORKFLOWS is unset: 4 MiB of the workflow thread's heap per cached claim,
 * at most 500. The SDK's own default assumes 1.7 MiB (2,311 workflows on a 4 GiB heap), and a worker on it ran its
 * workflow thread out of memory with about 1,450 claims waiting in public notice (`npm run bench`, 2026-12-04): the
 * worker stops, and every action on a claim waits for it. An evicted claim is replayed at its next task, correctly
 * and at the cost of its history (`npm run bench:worker` measures both).
 */
export function defaultCacheSize(heapLimitMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20): number {
  return Math.max(10, Math.min(LARGEST_DEFAULT_CACHE, Math.floor((heapLimitMiB - 200) / HEAP_PER_CACHED_WORKFLOW_MIB)));
}

/** The cache, sticky queue and task slot settings: the environment's, else a cache sized to the heap and the SDK's others. */
export function workerTuning(
  worker: Pick<ReturnType<typeof loadConfig>['worker'], 'maxCachedWorkflows' | 'stickyQueueTimeoutMs' | 'workflowTaskSlots'>,
  heapLimitMiB?: number,
): Pick<WorkerOptions, 'maxCachedWorkflows' | 'stickyQueueScheduleToStartTimeout' | 'maxConcurrentWorkflowTaskExecutions'> {
  const cache = worker.maxCachedWorkflows ?? defaultCacheSize(heapLimitMiB);
  // a workflow task needs its workflow in the cache: never more slots than cached workflows (the SDK's 40 otherwise)
  const slots = worker.workflowTaskSlots ?? (cache > 0 ? Math.max(2, Math.min(SDK_WORKFLOW_TASK_SLOTS, cache)) : undefined);
  return {
    maxCachedWorkflows: cache,
    ...(worker.stickyQueueTimeoutMs !== undefined ? { stickyQueueScheduleToStartTimeout: worker.stickyQueueTimeoutMs } : {}),
    ...(slots !== undefined ? { maxConcurrentWorkflowTaskExecutions: slots } : {}),
  };
}
