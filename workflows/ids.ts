/** Workflow ids are business ids: one place decides their shape. */
export const canaryWorkflowId = (canaryId: string): string => `canary-${canaryId}`;
export const claimWorkflowId = (claimNo: string): string => `claim-${claimNo}`;
/** The claim number inside a claim workflow's id, or null for other workflows. */
export const claimNoOfWorkflowId = (workflowId: string): string | null =>
  workflowId.startsWith('claim-') ? workflowId.slice('claim-'.length) : null;
