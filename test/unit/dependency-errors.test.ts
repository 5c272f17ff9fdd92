import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { fromDependencyError } from '../../common/http/problem';

/** What the API answers when Temporal, or every worker behind it, does not: a 503 with Retry-After, never a 500. */
describe('the answer for a dependency that does not answer', () => {
  test('when no worker confirms an action before the call ends, then it is a 503 saying the action may still take effect', () => {
    const error = fromDependencyError(new WorkflowUpdateRPCTimeoutOrCancelledError('Timed out waiting for update'));
    expect(error?.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error?.status).toBe(503);
    expect(error?.extensions.retryAfterSeconds).toBe(5);
    expect(error?.detail.zh).toContain('可能稍后生效');
  });

  test('when the Temporal server is unreachable, then it is a 503; an unrelated error is not a dependency error', () => {
    const unreachable = new ServiceError('14 UNAVAILABLE: No connection established', {
      cause: Object.assign(new Error(), { code: 14 }),
    });
    expect(fromDependencyError(unreachable)?.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(fromDependencyError(new TypeError('x is undefined'))).toBeUndefined();
  });
});
