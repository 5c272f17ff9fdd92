/**
 * The monitoring procedure as the API sees it: a referral's workflow state (a query) and people's actions on it (an
 * update whose validator refuses what does not fit: wrong step 409, role or same person 403, invalid 422).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../../common/errors';
import type { DocumentRepository } from '../../db/repositories/documents';
import type { HouseholdRepository } from '../../db/repositories/households';
import { newReferralId, type ReferralRepository } from '../../db/repositories/referrals';
import { CATEGORY_LABELS } from '../../domain/codes';
import { shanghaiDateOf } from '../../domain/dates';
import { isInJurisdiction } from '../../domain/divisions';
import { categoryOn } from '../../domain/household';
import { eliminationRefusal, MONITORED_CATEGORIES, REFERRAL_KIND_LABELS, type ReferralKind } from '../../domain/monitoring';
import type { Actor } from '../../workflows/claim/types';
import type { ClaimTimings } from '../../workflows/claim/timings';
import { agrees, type MonitoringAction, type MonitoringState } from '../../workflows/monitoring/machine';
import { monitoringActionUpdate, monitoringStateQuery, monitoringWorkflowId } from '../../workflows/monitoring/messages';
import { monitoringTimingsOf, type MonitoringWorkflowInput } from '../../workflows/monitoring/workflow';

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

const householdNotFound = (id: string) =>
  new AppError(
    'UNPROCESSABLE',
    { zh: `没有农户 ${id}。`, en: `No household ${id}.` },
    {
      fieldErrors: [{ path: 'householdId', message: 'no such household in your jurisdiction', zh: '辖区内没有此户' }],
    },
  );

export function createMonitoringService({
  client,
  documents,
  households,
  referrals,
  timings,
  taskQueue,
  now = () => new Date(),
}: {
  client: Client;
  documents: Pick<DocumentRepository, 'missing'>;
  households: Pick<HouseholdRepository, 'find'>;
  referrals: Pick<ReferralRepository, 'openFor' | 'find'>;
  timings: ClaimTimings;
  taskQueue: string;
  now?: () => Date;
}) {
  const handle = (referralId: string) => client.workflow.getHandle(monitoringWorkflowId(referralId));

  /** Refuses, before anything is written, a referral the household cannot have today. */
  async function admissible(kind: ReferralKind, householdId: string, actor: Actor) {
    const household = await households.find(householdId);
    if (!household || !isInJurisdiction(household.divisionCode, actor.jurisdiction)) throw householdNotFound(householdId);
    const today = shanghaiDateOf(now());
    if (kind === 'elimination') {
      const refusal = eliminationRefusal(household, today);
      if (refusal) throw new AppError('UNPROCESSABLE', { zh: `${refusal.zh}。`, en: `${refusal.en}.` }, { reason: refusal.code });
    } else {
      const category = categoryOn(household, today);
      if (category && MONITORED_CATEGORIES.includes(category))
        throw new AppError(
          'UNPROCESSABLE',
          {
            zh: `该户已是${CATEGORY_LABELS[category].zh}（监测对象）。`,
            en: `The household is monitored already (${category}).`,
          },
          { reason: 'ALREADY_MONITORED' },
        );
    }
    const open = await referrals.openFor(householdId);
    if (open)
      throw new AppError(
        'CONFLICT',
        {
          zh: `该户已有办理中的监测线索 ${open.referralId}（${REFERRAL_KIND_LABELS[open.kind].zh}），请在该线索中办理。`,
          en: `The household has an open referral ${open.referralId} (${open.kind}).`,
        },
        { openReferralId: open.referralId },
      );
    return household;
  }

  /** An elimination agreed to must still be possible today (the household may have changed since it was proposed). */
  async function admissibleElimination(householdId: string) {
    const household = await households.find(householdId);
    const refusal = household ? eliminationRefusal(household, shanghaiDateOf(now())) : null;
    if (refusal) throw new AppError('UNPROCESSABLE', { zh: `${refusal.zh}。`, en: `${refusal.en}.` }, { reason: refusal.code });
  }

  return {
    /**
     * Opens a referral from a person: a clue for inclusion (村级排查、农户申报) or a proposal to clear a monitored
     * household of risk (风险消除). Its workflow is started first and records the referral itself, so nothing is
     * half-written if this process dies; the answer names the referral at once.
     */
    async open({ kind, householdId, reason }: { kind: ReferralKind; householdId: string; reason: string }, actor: Actor) {
      const household = await admissible(kind, householdId, actor);
      const at = now();
      const referralId = newReferralId(at);
      const input: MonitoringWorkflowInput = {
        referralId,
        householdId,
        divisionCode: household.divisionCode,
        openedAt: at.toISOString(),
        timings: monitoringTimingsOf(timings),
        kind,
        opening: { by: { userId: actor.userId, role: actor.role, ...(actor.name ? { name: actor.name } : {}) }, reason },
      };
      await client.workflow.start('monitoringWorkflow', {
        workflowId: monitoringWorkflowId(referralId),
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      return { referralId, kind, householdId, divisionCode: household.divisionCode, status: 'open' as const };
    },

    async state(referralId: string): Promise<MonitoringState | null> {
      try {
        return await handle(referralId).query(monitoringStateQuery);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    },

    async act(
      { referralId, kind, householdId }: { referralId: string; kind: ReferralKind; householdId: string },
      request: MonitoringAction,
    ): Promise<MonitoringState> {
      const verdict = request.action === 'appraise' || request.action === 'decide';
      if (kind === 'elimination' && verdict && agrees(kind, request)) await admissibleElimination(householdId);
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
