import { defaultCacheSize, workerTuning } from '../../workers/tuning';

const unset = { maxCachedWorkflows: undefined, stickyQueueTimeoutMs: undefined, workflowTaskSlots: undefined };

describe("the worker's cache and task slots", () => {
  test('when the cache size is not set, then it follows the heap at 4 MiB a claim, between 10 and 500', () => {
    expect(defaultCacheSize(4144)).toBe(500); // V8's default heap on these 24 GiB machines: the SDK would cache 2,311
    expect(defaultCacheSize(560)).toBe(90); // --max-old-space-size=512
    expect(defaultCacheSize(128)).toBe(10);
    expect(workerTuning(unset, 560)).toEqual({ maxCachedWorkflows: 90, maxConcurrentWorkflowTaskExecutions: 40 });
  });

  test('when the environment sets them, then its values are used, and the slots never exceed the cache', () => {
    const set = { maxCachedWorkflows: 20, stickyQueueTimeoutMs: 3000, workflowTaskSlots: undefined };
    expect(workerTuning(set)).toEqual({
      maxCachedWorkflows: 20,
      stickyQueueScheduleToStartTimeout: 3000,
      maxConcurrentWorkflowTaskExecutions: 20,
    });
    expect(workerTuning({ ...set, workflowTaskSlots: 5 }).maxConcurrentWorkflowTaskExecutions).toBe(5);
    expect(workerTuning({ ...unset, maxCachedWorkflows: 0 })).toEqual({ maxCachedWorkflows: 0 });
  });
});
