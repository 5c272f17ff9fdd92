/**
 * The monitoring procedure as the API sees it: a referral's workflow state (a query) and people's actions on it (an
 * update whose validator refuses what does not fit: wrong step 409, role or same person 403, invalid 422).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../../common/errors';
import type { DocumentRepository } from '../../db/repositories/documents';
import type { MonitoringAction, MonitoringState } from '../../workflows/monitoring/machine';
import { monitoringActionUpdate, monitoringStateQuery, monitoringWorkflowId } from '../../workflows/monitoring/messages';

const STATUS_OF: Record<string, 'CONFLICT' | 'FORBIDDEN' | 'UNPROCESSABLE'> = {
  MONITORING_WRONG_STAGE: 'CONFLICT',
  MONITORING_FORBIDDEN: 'FORBIDDEN',
  MONITORING_SAME_PERSON: 'FORBIDDEN',
  MONITORING_INVALID: 'UNPROCESSABLE',
};

export const procedureNotStarted = (id: string) =>
  new AppError('NOT_FOUND', {
    zh: `监测线索 ${id} 的核查流程尚未开始。`,
    en: `The procedure of referral ${id} has not started.`,
  });

function toAppError(error: unknown, referralId: string): never {
  if (error instanceof WorkflowNotFoundError) throw procedureNotStarted(referralId);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    const code = STATUS_OF[failure.type ?? ''];
    const details = (failure.details?.[0] ?? {}) as { stage?: string; zh?: string };
    if (code)
      throw new AppError(code, { zh: `${details.zh ?? failure.message}。`, en: `${failure.message}.` }, { stage: details.stage });
  }
  throw error;
}

export function createMonitoringService({
  client,
  documents,
}: {
  client: Client;
  documents: Pick<DocumentRepository, 'missing'>;
}) {
  const handle = (referralId: string) => client.workflow.getHandle(monitoringWorkflowId(referralId));
  return {
    async state(referralId: string): Promise<MonitoringState | null> {
      try {
        return await handle(referralId).query(monitoringStateQuery);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    },

    async act(referralId: string, request: MonitoringAction): Promise<MonitoringState> {
      if (request.action === 'verify' && (await documents.missing([request.authorizationSha256])).length > 0)
        throw new AppError(
          'UNPROCESSABLE',
          {
            zh: '签字授权书的文件尚未上传：请先上传，再提交。',
            en: 'The signed authorization has no uploaded file: upload it first.',
          },
          {
            fieldErrors: [
              { path: 'authorizationSha256', message: 'no uploaded file has this SHA-256', zh: '未找到已上传的文件' },
            ],
          },
        );
      try {
        return await handle(referralId).executeUpdate(monitoringActionUpdate, { args: [request] });
      } catch (error) {
        return toAppError(error, referralId);
      }
    },
  };
}

export type MonitoringService = ReturnType<typeof createMonitoringService>;
