import { status } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions } from '@temporalio/client';
import { API_RPC_ATTEMPTS, firstRetryAfterMs } from '../../common/temporal';

/** The Temporal server's answer to an update that met a run continuing as new (consts.ErrWorkflowClosing). */
const CLOSING = {
  code: status.RESOURCE_EXHAUSTED,
  details: 'workflow operation can not be applied because workflow is closing',
};

describe("the API's retries of refused Temporal calls", () => {
  test('an update that met a closing run is retried at once: the next run is already there', () => {
    expect(firstRetryAfterMs(CLOSING)).toBe(50);
    const options = defaultGrpcRetryOptions({ maxAttempts: API_RPC_ATTEMPTS, initialIntervalMs: firstRetryAfterMs });
    const metadata = {} as never;
    expect(options.delayFunction(1, { ...CLOSING, metadata })).toBeLessThan(110);
    expect(options.retryableDecider(1, { ...CLOSING, metadata })).toBe(true);
  });

  test('a server shedding load is backed off from a second, anything else retryable from 0.1 s', () => {
    expect(firstRetryAfterMs({ code: status.RESOURCE_EXHAUSTED, details: 'namespace rate limit exceeded' })).toBe(1_000);
    expect(firstRetryAfterMs({ code: status.UNAVAILABLE, details: 'connection refused' })).toBe(100);
  });
});
