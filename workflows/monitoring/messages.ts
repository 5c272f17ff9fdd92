/** Every message the monitoring workflow understands; the API and the claim workflow import these definitions. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { MonitoringAction, MonitoringState } from './machine';

export const monitoringStateQuery = defineQuery<MonitoringState>('monitoringState');
/** A person's step, validated by the workflow before it reaches history. */
export const monitoringActionUpdate = defineUpdate<MonitoringState, [MonitoringAction]>('monitoringAction');
/** A later finding on the same open referral (the claim it came from), noted in the trail once. */
export const referralFindingSignal = defineSignal<[{ key: string; zh: string; at: string }]>('referralFinding');

export const monitoringWorkflowId = (referralId: string) => `referral-${referralId}`;
