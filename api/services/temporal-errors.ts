import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../../common/errors';
import { ClaimFailure } from '../../workflows/failures';

/**
 * Temporal's answers in the API's terms: not found → 404, already started → 409, an update refused by the workflow's
 * validator → 409 (wrong stage), 403 (role, jurisdiction, self-approval) or 422 (invalid request). Anything else is rethrown.
 */
export function toAppError(error: unknown, claimNo: string): never {
  if (error instanceof WorkflowNotFoundError) throw new AppError('NOT_FOUND', `No claim ${claimNo}.`);
  if (error instanceof WorkflowExecutionAlreadyStartedError) throw new AppError('CONFLICT', `Claim ${claimNo} already exists.`);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    const details = (failure.details?.[0] ?? {}) as { stage?: string; pending?: unknown };
    const extensions = { claimNo, failure: failure.type, stage: details.stage, pending: details.pending };
    switch (failure.type) {
      case ClaimFailure.NOT_ALLOWED_IN_STAGE:
        throw new AppError('CONFLICT', failure.message, extensions);
      case ClaimFailure.ROLE_NOT_PERMITTED:
      case ClaimFailure.OUTSIDE_JURISDICTION:
      case ClaimFailure.SELF_APPROVAL:
        throw new AppError('FORBIDDEN', failure.message, extensions);
      case ClaimFailure.INVALID_REQUEST:
        throw new AppError('UNPROCESSABLE', failure.message, extensions);
    }
  }
  throw error;
}
