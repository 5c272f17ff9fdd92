/**
 * The public notice of a village's monitoring appraisals (防返贫监测评议公示): the households whose appraisal is under
 * notice, grouped by notice round, each with what a villager may read — the head's name masked (张*明), how many
 * live in the household, and what the village proposes (to include it in monitoring, in which category, or to
 * clear it of risk) — and where and how to object. Never an ID, phone or account number, never the findings
 * themselves (they may be health details). Pure.
 */
import { CATEGORY_LABELS, type Category } from './codes';
import { shanghaiDateOf, type LocalDate } from './dates';
import { maskName } from './masking';
import { noticeFrame, type NoticeContacts, type NoticeFrame } from './notice';

interface Bilingual {
  zh: string;
  en: string;
}

/** A referral whose appraisal is under notice, as its procedure holds it. */
export interface AppraisalUnderNotice {
  referralId: string;
  householdId: string;
  appraisal: { include?: boolean; eliminate?: boolean; category?: Category };
  notice: { round: number; startedAt: string; endsAt: string };
}

export interface AppraisalEntry {
  referralId: string;
  /** The head of household, masked. */
  name: string;
  members: number;
  proposal: Bilingual;
}

export interface AppraisalRound {
  startedOn: LocalDate;
  endsOn: LocalDate;
  entries: AppraisalEntry[];
}

export interface MonitoringNotice extends NoticeFrame {
  rounds: AppraisalRound[];
}

/** What the village proposes, in the words of the notice. */
export function proposalInWords(appraisal: AppraisalUnderNotice['appraisal']): Bilingual {
  if (appraisal.eliminate === true) return { zh: '拟标注风险消除', en: 'proposed: risk eliminated' };
  if (appraisal.eliminate === false) return { zh: '拟继续监测（不予风险消除）', en: 'proposed: stays monitored' };
  if (appraisal.include && appraisal.category) {
    const category = CATEGORY_LABELS[appraisal.category];
    return { zh: `拟纳入监测对象（${category.zh}）`, en: `proposed: monitored (${category.en})` };
  }
  return { zh: '拟不纳入监测对象', en: 'proposed: not monitored' };
}

export function buildMonitoringNotice(input: {
  village: { code: string; name: string };
  contacts: NoticeContacts;
  appraisals: readonly AppraisalUnderNotice[];
  household: (householdId: string) => { head?: string; members: number } | undefined;
  now: Date;
}): MonitoringNotice {
  const rounds = new Map<string, AppraisalRound>();
  const sorted = [...input.appraisals].sort(
    (a, b) => a.notice.startedAt.localeCompare(b.notice.startedAt) || a.referralId.localeCompare(b.referralId),
  );
  for (const a of sorted) {
    const startedOn = shanghaiDateOf(new Date(a.notice.startedAt));
    const endsOn = shanghaiDateOf(new Date(a.notice.endsAt));
    const key = `${startedOn}|${endsOn}`;
    const round = rounds.get(key) ?? { startedOn, endsOn, entries: [] };
    rounds.set(key, round);
    const household = input.household(a.householdId);
    round.entries.push({
      referralId: a.referralId,
      name: household?.head ? maskName(household.head) : '—',
      members: household?.members ?? 0,
      proposal: proposalInWords(a.appraisal),
    });
  }
  return { ...noticeFrame(input.village, input.contacts, input.now), rounds: [...rounds.values()] };
}
