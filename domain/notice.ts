/**
 * The public notice (公示名单) of a village: the claims under notice, grouped by notice round (the claims whose notice
 * started and ends on the same days), each with what a villager may read and nothing more — the member's name masked
 * (张*明), the relation to the head, the line, the event in plain words, the proposed amount — and where and how to
 * object. Never an ID, phone or account number, never a health detail (domain.md, "Village review and public notice").
 */
import { LOSS_LABELS } from './claim';
import { LINE_LABELS, RELATION_LABELS, type Line, type Relation } from './codes';
import { shanghaiDateOf, type LocalDate } from './dates';
import { maskName } from './masking';

interface Bilingual {
  zh: string;
  en: string;
}

/** A claim under notice, as the read model holds it. */
export interface ClaimUnderNotice {
  claimNo: string;
  householdId: string;
  memberId: string;
  line: Line;
  eventDate: string;
  lossKind: string | null;
  proposedFen: number | null;
  notice: { round: number; startedAt: string; endsAt: string } | null;
}

export interface NoticeEntry {
  claimNo: string;
  /** Masked: 张*明. */
  name: string;
  relation: Bilingual;
  line: Bilingual;
  event: Bilingual;
  proposedFen: number;
}

export interface NoticeRound {
  /** `<village>:<first day>`: what an objection raised from this list is linked to. */
  roundId: string;
  startedOn: LocalDate;
  endsOn: LocalDate;
  entries: NoticeEntry[];
}

export interface NoticeContacts {
  issuer: Bilingual;
  objectionLine: string;
  howToObject: Bilingual;
}

/** What every notice of a village says besides its list: who issues it, where and how to object, and the day. */
export interface NoticeFrame {
  village: { code: string; name: string };
  issuer: Bilingual;
  villageContact: Bilingual;
  objectionLine: string;
  howToObject: Bilingual;
  issuedOn: LocalDate;
}

export interface PublicNotice extends NoticeFrame {
  rounds: NoticeRound[];
}

const label = (table: Record<string, Bilingual>, key: string | null): Bilingual | undefined =>
  key === null ? undefined : table[key];

/** What happened, in words a villager reads; a health claim says only that it is a medical-cost claim. */
export function eventInWords(line: Line, eventDate: string, lossKind: string | null): Bilingual {
  const at = (zh: string, en: string) => ({ zh: `${eventDate} ${zh}`, en: `${eventDate} ${en}` });
  switch (line) {
    case 'property': {
      const cause = label(LOSS_LABELS.propertyCauses, lossKind);
      return at(`因${cause?.zh ?? '灾害事故'}造成家庭财产损失`, `household property lost to ${cause?.en ?? 'an accident'}`);
    }
    case 'crop': {
      const cause = label(LOSS_LABELS.cropCauses, lossKind);
      return at(`因${cause?.zh ?? '灾害'}造成种植养殖损失`, `crops or livestock lost to ${cause?.en ?? 'a disaster'}`);
    }
    case 'accident': {
      const kind = label(LOSS_LABELS.accidentKinds, lossKind);
      return at(kind?.zh ?? '意外伤害', kind?.en ?? 'accidental injury');
    }
    case 'education': {
      const level = label(LOSS_LABELS.admissionLevels, lossKind);
      return at(`考取${level?.zh ?? '学校'}`, `admitted to ${level?.en ?? 'school'}`);
    }
    case 'health':
      return at('医疗费用救助', 'medical cost relief');
  }
}

/**
 * The notice of one village from its claims under notice and their members. A claim whose member cannot be found
 * (moved out since filing) is listed with the head's relation unknown, never left off: the list must be complete.
 */
export function buildPublicNotice(input: {
  village: { code: string; name: string };
  contacts: NoticeContacts;
  claims: readonly ClaimUnderNotice[];
  member: (householdId: string, memberId: string) => { name: string; relation: Relation } | undefined;
  now: Date;
}): PublicNotice {
  const rounds = new Map<string, NoticeRound>();
  const sorted = [...input.claims]
    .filter((c): c is ClaimUnderNotice & { notice: NonNullable<ClaimUnderNotice['notice']> } => c.notice != null)
    .sort((a, b) => a.notice.startedAt.localeCompare(b.notice.startedAt) || a.claimNo.localeCompare(b.claimNo));
  for (const claim of sorted) {
    const startedOn = shanghaiDateOf(new Date(claim.notice.startedAt));
    const endsOn = shanghaiDateOf(new Date(claim.notice.endsAt));
    const key = `${startedOn}|${endsOn}`;
    const round = rounds.get(key) ?? { roundId: `${input.village.code}:${startedOn}`, startedOn, endsOn, entries: [] };
    rounds.set(key, round);
    const member = input.member(claim.householdId, claim.memberId);
    round.entries.push({
      claimNo: claim.claimNo,
      name: member ? maskName(member.name) : '—',
      relation: member ? RELATION_LABELS[member.relation] : { zh: '—', en: '—' },
      line: LINE_LABELS[claim.line],
      event: eventInWords(claim.line, claim.eventDate, claim.lossKind),
      proposedFen: claim.proposedFen ?? 0,
    });
  }
  return { ...noticeFrame(input.village, input.contacts, input.now), rounds: [...rounds.values()] };
}

/** The frame of a village's notice issued now. */
export function noticeFrame(village: { code: string; name: string }, contacts: NoticeContacts, now: Date): NoticeFrame {
  return {
    village,
    issuer: contacts.issuer,
    villageContact: {
      zh: `${village.name}村民委员会（村部）`,
      en: `the village committee of ${village.name} (village office)`,
    },
    objectionLine: contacts.objectionLine,
    howToObject: contacts.howToObject,
    issuedOn: shanghaiDateOf(now),
  };
}
