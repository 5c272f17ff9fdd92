import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../workers/activities';

const { recordCanary, confirmCanary } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 10 },
});

export interface CanaryInput {
  canaryId: string;
}

export interface CanaryResult {
  canaryId: string;
  confirmed: boolean;
}

/** A self-test of the worker path (workflow → activity → database) that ops can run against a live deployment. */
export async function canaryWorkflow({ canaryId }: CanaryInput): Promise<CanaryResult> {
  await recordCanary({ canaryId });
  const { confirmed } = await confirmCanary({ canaryId });
  return { canaryId, confirmed };
}
