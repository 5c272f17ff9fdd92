/**
 * The government data feeds (today the medical-insurance bureau's settlements): a page read after the county's
 * cursor, each settlement of an enrolled member matched to its household by resident ID, and the early-warning rule
 * for a large out-of-pocket stay with no claim applied; its findings are recorded on the household's open referral
 * (keyed by settlement: once, however often the page is read). The cursor moves only after the workflow has acted on
 * the page's referrals (commitFeedPage), so a crash anywhere reads the page again and skips nothing.
 */
import type { ClaimRepository } from '../../db/repositories/claims';
import type { FeedCursorRepository } from '../../db/repositories/feed-cursors';
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ReferralRepository } from '../../db/repositories/referrals';
import { evaluateSettlement, rulesFor, type EarlyWarningRules } from '../../domain/early-warning';
import { membersOn } from '../../domain/household';
import type { DataSources } from '../adapters/data-sources';

export interface FeedActivityDeps {
  claims: Pick<ClaimRepository, 'hasHealthClaim'>;
  households: Pick<HouseholdRepository, 'search'>;
  referrals: Pick<ReferralRepository, 'raise'>;
  feedCursors: FeedCursorRepository;
  dataSources: DataSources;
  rules: readonly EarlyWarningRules[];
}

/** A referral a page's settlement raised or added to: the workflow starts its procedure or tells it the finding. */
export interface FeedReferral {
  referralId: string;
  householdId: string;
  divisionCode: string;
  key: string;
  zh: string;
  /** False when the referral held this finding already (a page read again). */
  recorded: boolean;
}

export interface FeedPage {
  from: string | null;
  to: string | null;
  more: boolean;
  scanned: number;
  referrals: FeedReferral[];
}

export function createFeedActivities({ claims, households, referrals, feedCursors, dataSources, rules }: FeedActivityDeps) {
  return {
    /** Reads the page after the county's cursor and records the findings of its settlements. Idempotent. */
    async scanSettlementFeed({ countyCode, pageSize }: { countyCode: string; pageSize: number }): Promise<FeedPage> {
      const { cursor } = await feedCursors.position('medical-settlements', countyCode);
      const page = await dataSources.settlementFeed({ after: cursor, limit: pageSize });
      const found: FeedReferral[] = [];
      for (const s of page.records) {
        const inForce = rulesFor(rules, countyCode, Number(s.admissionDate.slice(0, 4)));
        if (!inForce) continue;
        const [household] = (await households.search({ scope: countyCode, residentId: s.residentId }, 1)).items;
        const member = household?.members.find((m) => m.residentId === s.residentId);
        if (!household || !member) continue; // not one of the county's insured
        const year = Number(s.admissionDate.slice(0, 4));
        const enrolled = household.enrollments.some((e) => e.line === 'health' && e.policyYear === year);
        if (!enrolled) continue;
        if (await claims.hasHealthClaim(household.householdId, member.memberId, s.admissionDate, s.dischargeDate)) continue;
        const outOfPocketFen = Math.max(0, s.totalCostFen - s.basicInsuranceFen - s.criticalIllnessFen - s.medicalAssistanceFen);
        const trigger = evaluateSettlement(inForce, {
          settlementId: s.settlementId,
          hospital: s.hospital,
          admissionDate: s.admissionDate,
          dischargeDate: s.dischargeDate,
          outOfPocketFen,
          members: membersOn(household, s.admissionDate).length,
          memberName: member.name,
        });
        if (!trigger) continue;
        const key = `settlement:${s.settlementId}`;
        const raised = await referrals.raise(
          { householdId: household.householdId, divisionCode: household.divisionCode },
          { ...trigger, key, claimNo: null },
        );
        found.push({
          referralId: raised.referralId,
          householdId: household.householdId,
          divisionCode: household.divisionCode,
          key,
          zh: trigger.zh,
          recorded: raised.recorded,
        });
      }
      return { from: cursor, to: page.cursor, more: page.more, scanned: page.records.length, referrals: found };
    },

    /** Moves the county's cursor past a page whose referrals the workflow has acted on. Idempotent. */
    async commitFeedPage({ countyCode, page }: { countyCode: string; page: Omit<FeedPage, 'referrals'> & { raised: number } }) {
      return feedCursors.advance('medical-settlements', countyCode, page);
    },
  };
}
