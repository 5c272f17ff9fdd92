/**
 * Changing a household record, whoever asks (the API's PUT, an Excel import): inside the actor's jurisdiction, a
 * household number never taken over from another jurisdiction, a reason for a change that needs a second person's
 * approval, versioned and traced, and the household's open claims told of what applied.
 */
import { AppError, fieldError } from '../../common/errors';
import type { HouseholdRepository, ChangeAuthor, ProposeResult } from '../../db/repositories/households';
import { isInJurisdiction } from '../../domain/divisions';
import { diffHouseholds, SENSITIVE_CHANGE_LABELS } from '../../domain/household-change';
import type { Household } from '../../domain/household';
import type { Actor } from '../../workflows/claim/types';
import type { ClaimService } from './claims';

export type PutResult = Exclude<ProposeResult, { status: 'conflict' }>;

export function createHouseholdService({
  households,
  claimService,
}: {
  households: HouseholdRepository;
  claimService: Pick<ClaimService, 'tellOpenClaims'>;
}) {
  return {
    /** Registers or changes a household (the whole validated record); throws the API's problem when it may not. */
    async put(
      actor: Actor,
      household: Household,
      { reason, changeId, source }: { reason?: string; changeId?: string; source: ChangeAuthor['source'] },
    ): Promise<PutResult> {
      const { householdId } = household;
      if (!isInJurisdiction(household.divisionCode, actor.jurisdiction))
        throw new AppError('FORBIDDEN', {
          zh: `村 ${household.divisionCode} 不在您的辖区内。`,
          en: `Village ${household.divisionCode} is outside your jurisdiction.`,
        });
      const existing = await households.find(householdId);
      if (existing && !isInJurisdiction(existing.divisionCode, actor.jurisdiction))
        // a household number is unique in the county: registering one already held elsewhere must be refused
        throw new AppError('FORBIDDEN', {
          zh: `户编号 ${householdId} 已在您辖区以外登记。`,
          en: `Household ${householdId} is registered outside your jurisdiction.`,
        });
      const sensitive = existing ? diffHouseholds(existing, household).sensitive : [];
      if (sensitive.length > 0 && !reason) {
        throw new AppError(
          'VALIDATION_FAILED',
          {
            zh: '此变更需另一名工作人员审核：请说明变更原因（?reason=）。',
            en: "This change needs a second person's approval: say why (?reason=).",
          },
          {
            fieldErrors: [
              fieldError(
                'reason',
                `以下变更必须填写原因：${sensitive.map((s) => SENSITIVE_CHANGE_LABELS[s].zh).join('、')}`,
                `required for: ${sensitive.join(', ')}`,
              ),
            ],
          },
        );
      }
      const result = await households.propose(household, {
        by: { userId: actor.userId, role: actor.role },
        ...(reason ? { reason } : {}),
        ...(changeId ? { changeId } : {}),
        source,
      });
      if (result.status === 'conflict')
        throw new AppError('CONFLICT', {
          zh: `农户 ${householdId} 在此期间已被修改（或待审核的变更过多），请重新读取后再改。`,
          en: `Household ${householdId} was changed meanwhile (or has too many pending changes): read it again.`,
        });
      if (result.status === 'applied' && !result.version.notified) {
        try {
          await claimService.tellOpenClaims(householdId, result.version);
        } catch {
          // left untold in the record (notified: false): tellUntoldChanges retries it
        }
      }
      return result;
    },
  };
}

export type HouseholdService = ReturnType<typeof createHouseholdService>;
