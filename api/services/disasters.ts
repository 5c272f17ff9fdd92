/**
 * Disaster claims in bulk (灾情批量报案): a county or township declares the event; the villages enter each affected
 * enrolled household's loss (checked with the claim rules as it is entered); a batch job files the waiting losses
 * as ordinary claims, a few at a time, each under its own key so a crash never files one twice; the event's page
 * shows what was filed, what waits (documents, attention) and what was refused, with the reasons.
 */
import { randomBytes } from 'node:crypto';
import { AppError, fieldError } from '../../common/errors';
import type { ClaimRepository } from '../../db/repositories/claims';
import type { DisasterRepository, StoredEntry } from '../../db/repositories/disasters';
import type { HouseholdRepository } from '../../db/repositories/households';
import type { ImportJob } from '../../db/repositories/imports';
import { shanghaiDateOf } from '../../domain/dates';
import {
  claimInputFor,
  DISASTER_LABELS,
  entryKey,
  type DeclareDisaster,
  type DisasterEvent,
  type LossEntry,
} from '../../domain/disaster';
import { findDivision, isInJurisdiction } from '../../domain/divisions';
import { checkEligibility } from '../../domain/eligibility';
import type { Product } from '../../domain/product';
import type { Actor } from '../../workflows/claim/types';
import type { KeyedFiling } from './keyed-filing';

/** How many claims a batch files at once: enough to keep the stack busy, never to flood it. */
export const BATCH_CONCURRENCY = 4;

export interface DisasterServiceDeps {
  disasters: DisasterRepository;
  households: Pick<HouseholdRepository, 'find' | 'search'>;
  claims: Pick<ClaimRepository, 'find'>;
  products: readonly Product[];
  keyed: KeyedFiling;
  now?: () => Date;
}

export const disasterNotFound = (id: string) =>
  new AppError('NOT_FOUND', { zh: `没有灾情 ${id}。`, en: `No disaster event ${id}.` });

/** What became of one entered loss. */
export interface EntryResult {
  index: number;
  householdId: string;
  line: LossEntry['line'];
  result: 'entered' | 'replaced' | 'settled' | 'refused';
  reasons?: { zh: string; en: string }[];
}

export function createDisasterService(deps: DisasterServiceDeps) {
  const now = deps.now ?? (() => new Date());

  /** The event, when the actor's jurisdiction declared it or holds one of its villages. */
  async function visible(actor: Actor, eventId: string): Promise<DisasterEvent> {
    const event = await deps.disasters.find(eventId);
    if (
      !event ||
      !(
        isInJurisdiction(event.jurisdiction, actor.jurisdiction) ||
        isInJurisdiction(actor.jurisdiction, event.jurisdiction) ||
        event.villages.some((v) => isInJurisdiction(v, actor.jurisdiction))
      )
    )
      throw disasterNotFound(eventId);
    return event;
  }

  /** Why a loss cannot be entered (empty: it can), with the household's member the claim is for. */
  async function check(
    actor: Actor,
    event: DisasterEvent,
    entry: LossEntry,
  ): Promise<{ reasons: { zh: string; en: string }[]; memberId?: string; divisionCode?: string }> {
    const refuse = (zh: string, en: string) => ({ reasons: [{ zh, en }] });
    if (!event.lines.includes(entry.line))
      return refuse(`本次灾情不涉及该险种`, `the event does not concern the ${entry.line} line`);
    const household = await deps.households.find(entry.householdId);
    if (!household || !isInJurisdiction(household.divisionCode, actor.jurisdiction))
      return refuse(`您的辖区内没有农户 ${entry.householdId}`, `no household ${entry.householdId} in your jurisdiction`);
    if (!event.villages.includes(household.divisionCode))
      return refuse('该户所在村不在本次灾情的受灾村范围内', "the household's village is not one the event affected");
    const memberId = entry.memberId ?? household.members.find((m) => m.relation === 'head')?.memberId ?? '';
    const claim = claimInputFor(event, entry, memberId, shanghaiDateOf(now()));
    const eligibility = checkEligibility({ household, claim, products: deps.products, today: shanghaiDateOf(now()) });
    if (!eligibility.eligible) return { reasons: eligibility.reasons.map(({ zh, en }) => ({ zh, en })), memberId };
    return { reasons: [], memberId, divisionCode: household.divisionCode };
  }

  return {
    visible,

    async declare(actor: Actor, input: DeclareDisaster): Promise<DisasterEvent> {
      const year = Number(input.eventDate.slice(0, 4));
      const errors = input.villages.flatMap((v, i) =>
        !isInJurisdiction(v, actor.jurisdiction)
          ? [fieldError(`villages.${i}`, `村 ${v} 不在您的辖区内`, `village ${v} is outside your jurisdiction`)]
          : findDivision(v, year)?.level !== 'village'
            ? [fieldError(`villages.${i}`, `没有行政村 ${v}`, `no village ${v}`)]
            : [],
      );
      if (errors.length > 0)
        throw new AppError(
          'VALIDATION_FAILED',
          { zh: '受灾村有误，请按各项提示修改。', en: 'Some affected villages are wrong.' },
          { fieldErrors: errors },
        );
      const declaredAt = now();
      const event: DisasterEvent = {
        ...input,
        eventId: `DZ-${shanghaiDateOf(declaredAt).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`,
        declaredBy: { userId: actor.userId, role: actor.role, ...(actor.name ? { name: actor.name } : {}) },
        jurisdiction: actor.jurisdiction,
        declaredAt: declaredAt.toISOString(),
      };
      await deps.disasters.declare(event);
      return event;
    },

    recent: (actor: Actor) => deps.disasters.recent(actor.jurisdiction),

    /** The affected households of a village enrolled in the event's lines, with what was entered for each. */
    async households(actor: Actor, eventId: string, village: string) {
      const event = await visible(actor, eventId);
      if (!event.villages.includes(village) || !isInJurisdiction(village, actor.jurisdiction)) throw disasterNotFound(eventId);
      const entered = new Map<string, StoredEntry>();
      for (let after: string | undefined; ;) {
        const page = await deps.disasters.list(eventId, { village, ...(after ? { after } : {}) });
        for (const e of page) entered.set(`${e.householdId}:${e.line}`, e);
        if (page.length < 500) break;
        after = page.at(-1)!.id;
      }
      const rows = [];
      for (let cursor: string | undefined; ;) {
        const page = await deps.households.search({ scope: village }, 100, cursor);
        for (const h of page.items) {
          const head = h.members.find((m) => m.relation === 'head');
          const lines = event.lines.filter((line) => {
            const entry = claimInputFor(
              event,
              line === 'crop'
                ? { line, householdId: h.householdId, item: 'wheat', units: 1, lossRatioBp: 1, documents: [] }
                : { line, householdId: h.householdId, assessedLossFen: 1, documents: [] },
              head?.memberId ?? '',
              shanghaiDateOf(now()),
            );
            return checkEligibility({ household: h, claim: entry, products: deps.products, today: shanghaiDateOf(now()) })
              .eligible;
          });
          if (lines.length === 0) continue;
          rows.push({
            householdId: h.householdId,
            head: head?.name ?? '',
            members: h.members.length,
            lines: lines.map((line) => {
              const e = entered.get(`${h.householdId}:${line}`);
              return { line, ...(e ? { status: e.status, claimNo: e.claimNo, reason: e.reason } : {}) };
            }),
          });
        }
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return { event, village, households: rows };
    },

    /** Records losses (each checked with the claim rules); a loss entered again replaces the waiting one. */
    async enter(actor: Actor, eventId: string, entries: readonly LossEntry[]): Promise<EntryResult[]> {
      const event = await visible(actor, eventId);
      const results: EntryResult[] = [];
      for (const [index, entry] of entries.entries()) {
        const base = { index, householdId: entry.householdId, line: entry.line };
        const checked = await check(actor, event, entry);
        if (checked.reasons.length > 0 || !checked.divisionCode || !checked.memberId) {
          results.push({ ...base, result: 'refused', reasons: checked.reasons });
          continue;
        }
        const result = await deps.disasters.enter({
          id: entryKey(eventId, entry),
          eventId,
          householdId: entry.householdId,
          divisionCode: checked.divisionCode,
          line: entry.line,
          entry,
          memberId: checked.memberId,
          enteredBy: { userId: actor.userId, role: actor.role },
        });
        results.push({ ...base, result });
      }
      return results;
    },

    /** The event's progress: its entries by status, and the filed claims by where they are in the procedure. */
    async progress(actor: Actor, eventId: string, village?: string) {
      const event = await visible(actor, eventId);
      if (village && !isInJurisdiction(village, actor.jurisdiction)) throw disasterNotFound(eventId);
      const scope = village ?? (actor.jurisdiction.length === 12 ? actor.jurisdiction : undefined);
      const entries: (StoredEntry & {
        claim?: { stage: string; status: string; proposedFen: number | null; paidFen: number };
      })[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await deps.disasters.list(eventId, { ...(scope ? { village: scope } : {}), ...(after ? { after } : {}) });
        for (const e of page) {
          if (!isInJurisdiction(e.divisionCode, actor.jurisdiction)) continue;
          const claim = e.claimNo ? await deps.claims.find(e.claimNo) : null;
          entries.push({
            ...e,
            ...(claim
              ? { claim: { stage: claim.stage, status: claim.status, proposedFen: claim.proposedFen, paidFen: claim.paidFen } }
              : {}),
          });
        }
        if (page.length < 500) break;
        after = page.at(-1)!.id;
      }
      const counts = { waiting: 0, filed: 0, held: 0, rejected: 0, paid: 0 };
      for (const e of entries) {
        if (e.status === 'waiting') counts.waiting += 1;
        else if (e.status === 'refused' || e.claim?.status === 'rejected' || e.claim?.status === 'withdrawn')
          counts.rejected += 1;
        else if (e.claim?.status === 'paid') counts.paid += 1;
        else if (
          e.claim &&
          ['held_duplicate', 'returned', 'documents_requested', 'needs_attention', 'payout_bounced'].includes(e.claim.stage)
        )
          counts.held += 1;
        else counts.filed += 1;
      }
      return { event: { ...event, typeLabel: DISASTER_LABELS[event.type] }, counts, entries };
    },

    /** The batch job's work: files every waiting entry, a few at a time; progress after each. */
    async fileWaiting(
      job: Pick<ImportJob, 'eventId' | 'by' | 'jurisdiction'>,
      progress: (done: number, total: number) => Promise<boolean>,
    ): Promise<{ filed: number; refused: number }> {
      const event = await deps.disasters.find(job.eventId ?? '');
      if (!event) throw disasterNotFound(job.eventId ?? '');
      const actor: Actor = { userId: job.by.userId, role: job.by.role as Actor['role'], jurisdiction: job.jurisdiction };
      const total = (await deps.disasters.counts(event.eventId, actor.jurisdiction)).waiting;
      let done = 0;
      let filed = 0;
      let refused = 0;
      for (;;) {
        const page = await deps.disasters.waiting(event.eventId, actor.jurisdiction, 100);
        if (page.length === 0) break;
        const queue = [...page];
        const work = async () => {
          for (let entry = queue.shift(); entry; entry = queue.shift()) {
            const claim = claimInputFor(event, entry.entry, entry.memberId, shanghaiDateOf(now()));
            try {
              const answer = await deps.keyed.file(claim, actor, `disaster:${entry.id}`);
              await deps.disasters.settle(entry.id, { claimNo: answer.body.claimNo });
              filed += 1;
            } catch (error) {
              if (!(error instanceof AppError) || error.code === 'CONFLICT' || error.status >= 500) throw error;
              await deps.disasters.settle(entry.id, { reason: error.detail });
              refused += 1;
            }
            done += 1;
            if (done % 10 === 0 && !(await progress(done, total))) throw new BatchAbandoned();
          }
        };
        await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, work));
      }
      return { filed, refused };
    },
  };
}

/** The lease on the batch was lost: another process runs it now. */
export class BatchAbandoned extends Error {}

export type DisasterService = ReturnType<typeof createDisasterService>;
