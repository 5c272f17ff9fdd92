import { AppError } from '../../common/errors';
import type { ClaimRepository } from '../../db/repositories/claims';
import type { HouseholdRepository } from '../../db/repositories/households';
import { shanghaiDateOf } from '../../domain/dates';
import { findDivision, isInJurisdiction } from '../../domain/divisions';
import { membersOn, type Household } from '../../domain/household';
import { buildMonitoringNotice, type AppraisalUnderNotice, type MonitoringNotice } from '../../domain/monitoring-notice';
import type { ReferralRepository } from '../../db/repositories/referrals';
import type { MonitoringService } from './monitoring';
import { buildPublicNotice, type NoticeContacts, type PublicNotice } from '../../domain/notice';
import type { Product } from '../../domain/product';
import type { Actor } from '../../workflows/claim/types';

/** When a county's product names no notice contacts: the county's own office, and the objection line left blank. */
const fallbackContacts = (county: string): NoticeContacts => ({
  issuer: { zh: `${county}防贫保险工作专班`, en: `${county} poverty-prevention insurance office` },
  objectionLine: '—',
  howToObject: {
    zh: '公示期内，对名单有异议的，可向本村村民委员会书面或口头反映。',
    en: 'During the notice period, anyone who objects may tell the village committee in writing or in person.',
  },
});

/** The public notice of a village (公示名单), for a person whose jurisdiction covers it. */
export function createNoticeService(deps: {
  claims: ClaimRepository;
  households: HouseholdRepository;
  products: readonly Product[];
  /** The monitoring appraisals' notice: the referrals under notice and their procedures' state. */
  referrals?: Pick<ReferralRepository, 'inNotice'>;
  monitoring?: Pick<MonitoringService, 'state'>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  /** The village in the person's jurisdiction, and the notice contacts of its county's product of the year. */
  function villageOf(actor: Actor, village: string, today: Date) {
    const year = Number(shanghaiDateOf(today).slice(0, 4));
    const division = findDivision(village, year);
    if (!division || division.level !== 'village' || !isInJurisdiction(village, actor.jurisdiction)) {
      throw new AppError('NOT_FOUND', {
        zh: `您的辖区内没有行政村 ${village}。`,
        en: `No village ${village} in your jurisdiction.`,
      });
    }
    const county = village.slice(0, 6);
    const product = deps.products
      .filter((p) => p.countyCode === county && p.policyYear <= year && p.notice)
      .sort((a, b) => b.policyYear - a.policyYear)[0];
    return {
      village: { code: village, name: division.name },
      contacts: product?.notice ?? fallbackContacts(findDivision(county, year)?.name ?? county),
    };
  }

  return {
    /** 防返贫监测评议公示: the village's monitoring appraisals under notice (each procedure's appraisal and round). */
    async monitoringNotice(actor: Actor, village: string): Promise<MonitoringNotice> {
      const today = now();
      const where = villageOf(actor, village, today);
      const appraisals: AppraisalUnderNotice[] = [];
      const households = new Map<string, Household | null>();
      for (const referral of (await deps.referrals?.inNotice(village)) ?? []) {
        const state = await deps.monitoring?.state(referral.referralId);
        if (state?.stage !== 'public_notice' || !state.appraisal || !state.notice) continue; // moved on meanwhile
        appraisals.push({
          referralId: referral.referralId,
          householdId: referral.householdId,
          appraisal: state.appraisal,
          notice: state.notice,
        });
        households.set(referral.householdId, await deps.households.find(referral.householdId));
      }
      return buildMonitoringNotice({
        ...where,
        appraisals,
        household: (id) => {
          const h = households.get(id);
          if (!h) return undefined;
          const day = shanghaiDateOf(today);
          return { head: h.members.find((m) => m.relation === 'head')?.name, members: membersOn(h, day).length };
        },
        now: today,
      });
    },

    async villageNotice(actor: Actor, village: string): Promise<PublicNotice> {
      const today = now();
      const { village: where, contacts } = villageOf(actor, village, today);
      const claims = await deps.claims.underNotice(village);
      const households = new Map<string, Household | null>();
      const ids = [...new Set(claims.map((c) => c.householdId))];
      for (let i = 0; i < ids.length; i += 20)
        await Promise.all(ids.slice(i, i + 20).map(async (id) => households.set(id, await deps.households.find(id))));
      return buildPublicNotice({
        village: where,
        contacts,
        claims,
        member: (householdId, memberId) => households.get(householdId)?.members.find((m) => m.memberId === memberId),
        now: today,
      });
    },
  };
}

export type NoticeService = ReturnType<typeof createNoticeService>;
