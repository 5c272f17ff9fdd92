/** Workflow ids are business ids: one place decides their shape. */
export const canaryWorkflowId = (canaryId: string): string => `canary-${canaryId}`;
export const claimWorkflowId = (claimNo: string): string => `claim-${claimNo}`;
