/**
 * Starting a referral's procedure from another workflow (a paid claim, the settlement feed): a child workflow of its
 * own that outlives its parent; when it runs already (a second finding on an open referral), it is told the finding.
 */
import { getExternalWorkflowHandle, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { monitoringWorkflowId, referralFindingSignal } from './messages';
import { monitoringWorkflow, type MonitoringWorkflowInput } from './workflow';

export async function startOrTellMonitoring(
  start: MonitoringWorkflowInput,
  finding: { key: string; zh: string; at: string },
): Promise<void> {
  const workflowId = monitoringWorkflowId(start.referralId);
  try {
    await startChild(monitoringWorkflow, { workflowId, parentClosePolicy: ParentClosePolicy.ABANDON, args: [start] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    await getExternalWorkflowHandle(workflowId).signal(referralFindingSignal, finding);
  }
}
