import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../../common/errors';
import { ClaimFailure } from '../../workflows/failures';
import { claimNotFound } from '../problems';

/**
 * Temporal's answers in the API's terms: not found → 404, already started → 409, an update refused by the workflow's
 * validator → 409 (wrong stage), 403 (role, self-approval), 404 (outside the jurisdiction, as a missing claim) or 422 (invalid request). Anything else is rethrown.
 */
export function toAppError(error: unknown, claimNo: string): never {
  if (error instanceof WorkflowNotFoundError) throw claimNotFound(claimNo);
  if (error instanceof WorkflowExecutionAlreadyStartedError)
    throw new AppError('CONFLICT', { zh: `案件 ${claimNo} 已存在。`, en: `Claim ${claimNo} already exists.` });
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    const details = (failure.details?.[0] ?? {}) as { stage?: string; pending?: unknown; zh?: string };
    const extensions = { claimNo, failure: failure.type, stage: details.stage, pending: details.pending };
    // the workflow's validator says why in both languages (histories from before it did carry English only)
    const detail = { zh: `${details.zh ?? failure.message}。`, en: `${failure.message}.` };
    switch (failure.type) {
      case ClaimFailure.NOT_ALLOWED_IN_STAGE:
        throw new AppError('CONFLICT', detail, extensions);
      case ClaimFailure.OUTSIDE_JURISDICTION:
        // as for a claim that does not exist: an outsider learns nothing, not even that the number is taken
        throw claimNotFound(claimNo);
      case ClaimFailure.ROLE_NOT_PERMITTED:
      case ClaimFailure.SELF_APPROVAL:
        throw new AppError('FORBIDDEN', detail, extensions);
      case ClaimFailure.INVALID_REQUEST:
        throw new AppError('UNPROCESSABLE', detail, extensions);
    }
  }
  throw error;
}
