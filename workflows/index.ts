// Every workflow the worker registers. This file is the worker's `workflowsPath` entry point.
export { canaryWorkflow } from './canary';
export { claimWorkflow } from './claim/workflow';
export { monitoringWorkflow } from './monitoring/workflow';
export { settlementFeedWorkflow } from './feeds/settlement-feed';
export { sandboxClaimWorkflow } from './sandbox/workflow';
