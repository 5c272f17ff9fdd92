import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Logger } from '../common/logger';
import { maskSensitiveText } from '../domain/masking';
import type { ActivityFailureRepository } from '../db/repositories/activity-failures';
import { claimNoOfWorkflowId } from '../workflows/ids';

/**
 * Watches every activity attempt: a failed attempt is logged (with claimNo and workflowId) and recorded for the ops
 * view of failing activities; a success after failures clears the record. Recording never changes the outcome.
 */
export function observeActivities({
  failures,
  logger,
}: {
  failures: ActivityFailureRepository;
  logger: Logger;
}): ActivityInterceptorsFactory {
  return (ctx) => {
    const { workflowExecution, activityType, attempt } = ctx.info;
    const workflowId = workflowExecution?.workflowId ?? '(none)';
    const claimNo = claimNoOfWorkflowId(workflowId);
    const log = logger.child({ claimNo, workflowId, activityType, attempt });
    const bestEffort = (what: string, write: () => Promise<void>) =>
      write().catch((error: unknown) => log.warn({ err: String(error) }, `could not ${what} the activity failure record`));
    return {
      inbound: {
        async execute(input, next) {
          try {
            const result = await next(input);
            if (attempt > 1) {
              log.info('activity succeeded after retrying');
              await bestEffort('clear', () => failures.clear(workflowId, activityType));
            }
            return result;
          } catch (error) {
            const message = maskSensitiveText(error instanceof Error ? error.message : String(error)).slice(0, 500);
            log.warn({ failure: message }, 'activity attempt failed');
            await bestEffort('write', () => failures.record({ workflowId, claimNo, activityType, attempt, message }));
            throw error;
          }
        },
      },
    };
  };
}
