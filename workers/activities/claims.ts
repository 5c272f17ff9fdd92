import { ApplicationFailure } from '@temporalio/activity';
import type { ClaimPackage, DataQuery, PayoutReceipt } from '../../common/partners/messages';
import { assessClaim, type Warning } from '../../domain/assessment';
import type { ClaimInput } from '../../domain/claim';
import { addDays } from '../../domain/dates';
import type { Reason } from '../../domain/eligibility';
import { fingerprintClaim, type ClaimFingerprint } from '../../domain/fingerprint';
import type { Product } from '../../domain/product';
import type { AuditEvent, ClaimRepository } from '../../db/repositories/claims';
import type { ExposureRepository, HoldRequest, HoldResult } from '../../db/repositories/exposure';
import type { ExposureCap } from '../../domain/exposure';
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ClaimProjection } from '../../workflows/claim/projection';
import type { PayoutAccountRef, Proposal } from '../../workflows/claim/types';
import type { BankAdapter } from '../adapters/bank';
import type { DataSources } from '../adapters/data-sources';
import type { InsurerAdapter } from '../adapters/insurer';

export interface ClaimActivityDeps {
  claims: ClaimRepository;
  households: HouseholdRepository;
  exposure: ExposureRepository;
  products: readonly Product[];
  insurer: InsurerAdapter;
  bank: BankAdapter;
  dataSources: DataSources;
  now: () => Date;
}

export type Assessment =
  | { eligible: false; reasons: Reason[]; keys: ClaimFingerprint }
  | { eligible: true; proposal: Proposal; account: PayoutAccountRef; duplicateOf: string[]; keys: ClaimFingerprint };

export type { Warning };

const warning = (code: string, zh: string, en: string): Warning => ({ code, zh, en });

export function createClaimActivities({
  claims,
  households,
  exposure,
  products,
  insurer,
  bank,
  dataSources,
  now,
}: ClaimActivityDeps) {
  /** The claim's household as filed (its snapshot), and the insured member in it. */
  async function memberOf(claim: ClaimInput, claimNo?: string) {
    const household = await households.asFiled(claimNo, claim.householdId);
    const member = household?.members.find((m) => m.memberId === claim.memberId);
    return { household, member };
  }

  return {
    /** Eligibility, duplicates and the proposed payout. Reads only: safe to retry. */
    async assessClaim({ claimNo, claim, today }: { claimNo: string; claim: ClaimInput; today: string }): Promise<Assessment> {
      const keys = fingerprintClaim(claim);
      const household = await households.asFiled(claimNo, claim.householdId);
      const assessment = await assessClaim({
        household,
        claim,
        products,
        today,
        yearToDate: (policyYear) =>
          claims.yearToDate({
            claimNo,
            householdId: claim.householdId,
            memberId: claim.memberId,
            line: claim.line,
            policyYear,
            benefitKey: keys.benefitKey,
          }),
      });
      if (!assessment.eligible || !household)
        return { eligible: false, reasons: assessment.eligible ? [] : assessment.reasons, keys };
      const duplicateOf = await claims.findDuplicates({
        claimNo,
        eventKey: keys.eventKey,
        documentKeys: keys.documentKeys,
        overlapKey: { key: keys.overlapKey, line: claim.line },
      });
      const { cardNumber, holderName, holderResidentId } = household.payoutAccount;
      const { calculation } = assessment;
      return {
        eligible: true,
        keys,
        duplicateOf,
        account: { cardNumber, holderName, holderResidentId },
        proposal: {
          policyYear: assessment.policyYear,
          productId: assessment.productId,
          insurerId: assessment.insurerId,
          category: assessment.category,
          payableFen: calculation.payableFen,
          lines: calculation.lines,
          facts: calculation.facts,
          warnings: assessment.warnings,
          caps: assessment.caps,
          missingDocuments: assessment.missingDocuments,
        },
      };
    },

    /** Cross-checks with the government data sources. Findings are warnings for the reviewers, not rejections. */
    async crossCheckClaim({ claim, claimNo }: { claim: ClaimInput; claimNo?: string }): Promise<{ warnings: Warning[] }> {
      const { member } = await memberOf(claim, claimNo);
      if (!member) return { warnings: [] };
      const q: DataQuery = { residentId: member.residentId };
      const warnings: Warning[] = [];
      const deaths = await dataSources.query('deaths', q);
      const death = deaths[0];
      if (death && death.dateOfDeath < claim.eventDate) {
        warnings.push(
          warning(
            'DEATH_RECORD_BEFORE_EVENT',
            '公安/民政记录显示被保险人在出险前已身故',
            'death records show the insured died before the event',
          ),
        );
      }
      const loss = claim.loss;
      if (loss.line === 'accident' && loss.kind === 'death' && !death) {
        warnings.push(warning('NO_DEATH_RECORD', '未查到死亡记录', 'no death record found'));
      }
      if (loss.line === 'health') {
        const settlements = await dataSources.query('medical-settlements', {
          ...q,
          from: addDays(claim.eventDate, -60),
          to: addDays(claim.eventDate, 60),
        });
        if (settlements.length === 0)
          warnings.push(
            warning('NO_MEDICAL_SETTLEMENT', '医保系统未查到对应结算记录', 'no matching medical-insurance settlement'),
          );
        else if (!settlements.some((s) => s.totalCostFen === loss.totalCostFen)) {
          warnings.push(
            warning(
              'SETTLEMENT_AMOUNT_DIFFERS',
              '申报医疗费用与医保结算不一致',
              'the claimed cost differs from the medical-insurance settlement',
            ),
          );
        }
      }
      if (loss.line === 'education') {
        const admissions = await dataSources.query('admissions', q);
        const sameYear = admissions.filter((a) => a.admissionYear === loss.admissionYear);
        if (sameYear.length === 0)
          warnings.push(warning('NO_ADMISSION_RECORD', '教育部门未查到录取记录', 'no admission record found'));
        else if (!sameYear.some((a) => a.level === loss.level)) {
          warnings.push(
            warning(
              'ADMISSION_LEVEL_DIFFERS',
              '录取层次与教育部门记录不一致',
              'the admission level differs from the education record',
            ),
          );
        }
      }
      return { warnings };
    },

    /**
     * Sets what the claim holds on each of its caps (an atomic conditional write per cap: racing claims never share a
     * remainder). Idempotent: the claim's parts are set, not added to.
     */
    async holdExposure(request: HoldRequest): Promise<HoldResult> {
      return exposure.hold(request);
    },

    /** What the claim holds on its tightest cap and was not paid: the most its next payout instruction may carry. */
    async unpaidHeldExposure({ claimNo, caps }: { claimNo: string; caps: ExposureCap[] }): Promise<number> {
      return exposure.unpaidHeld(claimNo, caps);
    },

    /** An approved account correction becomes the household's payout account, traced (idempotent per change id). */
    async recordPayoutAccount({
      claimNo,
      householdId,
      account,
      correctedBy,
      approvedBy,
      changeId,
    }: {
      claimNo: string;
      householdId: string;
      account: PayoutAccountRef;
      correctedBy: string;
      approvedBy: string;
      changeId: string;
    }): Promise<void> {
      await households.replacePayoutAccount(householdId, account, {
        by: { userId: correctedBy, role: 'staff' },
        approvedBy,
        reason: `理赔${claimNo}支付退回后更正收款账户 account corrected after a bounced payout of ${claimNo}`,
        source: { kind: 'account_correction', claimNo },
        changeId,
      });
    },

    async recordClaimProgress(args: {
      claimNo: string;
      version: number;
      projection: ClaimProjection;
      events: AuditEvent[];
    }): Promise<void> {
      await claims.recordProgress(args);
    },

    /** Sends the claim package of a round (or a reminder for it) to the line's insurer. Personal data is read here, not kept in workflow history. */
    async deliverClaimPackage({
      claimNo,
      round,
      reminder,
      claim,
      proposal,
      divisionCode,
    }: {
      claimNo: string;
      round: number;
      reminder: number;
      claim: ClaimInput;
      proposal: Proposal;
      divisionCode: string;
    }): Promise<{ deliveredAt: string }> {
      const { member } = await memberOf(claim, claimNo);
      if (!member)
        throw ApplicationFailure.create({
          type: 'ERR_MEMBER_MISSING',
          message: `member ${claim.memberId} is no longer registered`,
          nonRetryable: true,
        });
      const sentAt = now().toISOString();
      const pkg: ClaimPackage = {
        type: 'claim_package',
        claimNo,
        insurerId: proposal.insurerId,
        line: claim.line,
        policyYear: proposal.policyYear,
        productId: proposal.productId,
        household: { householdId: claim.householdId, divisionCode, categoryOnEventDate: proposal.category },
        insured: { memberId: member.memberId, name: member.name, residentId: member.residentId },
        eventDate: claim.eventDate,
        reportDate: claim.reportDate,
        loss: claim.loss,
        documents: claim.documents,
        proposedPayoutFen: proposal.payableFen,
        explanation: proposal.lines,
        round,
        sentAt,
      };
      await insurer.deliver(pkg, `package-${claimNo}-r${round}${reminder > 0 ? `-reminder${reminder}` : ''}`);
      return { deliveredAt: sentAt };
    },

    /** One payout instruction. The idempotency key makes a retried (or crashed-and-restarted) call pay once. */
    async instructPayout({
      claimNo,
      idempotencyKey,
      installment,
      amountFen,
      account,
    }: {
      claimNo: string;
      idempotencyKey: string;
      installment: number;
      amountFen: number;
      account: PayoutAccountRef;
    }): Promise<PayoutReceipt> {
      return bank.instruct({
        type: 'payout_instruction',
        idempotencyKey,
        claimNo,
        installment,
        amountFen,
        account,
        memo: `防贫保理赔 ${claimNo}`,
      });
    },

    async checkPayout({ idempotencyKey }: { idempotencyKey: string }): Promise<PayoutReceipt | null> {
      return (await bank.status(idempotencyKey)) ?? null;
    },
  };
}
