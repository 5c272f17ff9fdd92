import type { ClaimUnderNotice } from '../../domain/notice';
import type { Connection } from 'mongoose';
import type { YearToDate } from '../../domain/calculator';
import { formatClaimNo } from '../../domain/claim';
import type { Line } from '../../domain/codes';
import type { ClaimProjection } from '../../workflows/claim/projection';
import { isAllDuplicates, isDuplicateKeyError, retryWrite } from '../errors';
import { hinted } from '../hint';
import { claimCounterModel, claimEventId, claimEventModel, claimModel } from '../models/claim';
import { scopeFilter } from './scope';

export interface AuditEvent {
  seq: number;
  at: string;
  actor: { userId: string; role: string };
  action: string;
  fromStage: string;
  toStage: string;
  reason?: string;
}

export type FiledClaim = ClaimProjection;

export interface ClaimListFilter {
  /** The jurisdiction (6, 9 or 12 digits), applied in the query itself. */
  scope: string;
  stage?: string;
  status?: string;
  line?: string;
  insurerId?: string;
  eventFrom?: string;
  eventTo?: string;
  slaBreached?: boolean;
  /** Part of a claim number (letters, digits and dashes only). */
  claimNoContains?: string;
  householdId?: string;
}

/** What the payouts export reads of a claim. */
export type PayoutClaim = Pick<
  ClaimProjection,
  'claimNo' | 'householdId' | 'memberId' | 'divisionCode' | 'line' | 'insurerId' | 'policyYear' | 'installments'
>;
const PAYOUT_FIELDS = {
  _id: 0,
  claimNo: 1,
  householdId: 1,
  memberId: 1,
  divisionCode: 1,
  line: 1,
  insurerId: 1,
  policyYear: 1,
  installments: 1,
} as const;

export interface ClaimPage {
  items: ClaimProjection[];
  nextCursor: string | null;
}

function encodeCursor(last: { filedAt: string; claimNo: string }): string {
  return Buffer.from(JSON.stringify([last.filedAt, last.claimNo])).toString('base64url');
}

/** A cursor is opaque to clients; a malformed one is treated as invalid input by the caller. */
export function decodeCursor(cursor: string): { filedAt: string; claimNo: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { filedAt: value[0], claimNo: value[1] };
    }
  } catch {
    /* fall through */
  }
  return undefined;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Newest filing first; claimNo breaks ties (the keyset). */
const LIST_ORDER = { filedAt: -1, claimNo: -1 } as const;
const LIST_FIELDS = { _id: 0, __v: 0, eventKey: 0, documentKeys: 0, overlapKey: 0, createdAt: 0, updatedAt: 0 } as const;
/** A list page is first looked for among the filings of the 2 days before the newest claim it may show. */
const FIRST_WINDOW_DAYS = 2;
/** Past three years of filings the window gives way to no bound at all. */
const LAST_WINDOW_DAYS = 1_100;
const DAY_MS = 86_400_000;

/**
 * The next window: as much wider as the last one's yield says a page needs (with half again to spare), at least
 * twice and at most sixteen times as wide, so a filter costs about what its page needs.
 */
function nextWindowDays(days: number, found: number, wanted: number): number {
  const factor = Math.ceil((1.5 * wanted) / Math.max(found, 0.5));
  return days * Math.min(16, Math.max(2, factor));
}

/**
 * The scoped, filtered queries `list` runs within a window of filings from `from` (ISO time; none: no bound). Without
 * a cursor that is one query; with one, two: the claims filed before the cursor's time, and those filed at that very
 * time with a smaller number. Each is one range of the (scope, filedAt) index; `list` merges them. (One query with a
 * `$or` of the two let DocumentDB's planner OR two whole indexes together: 5 s a page at 100,000 claims.)
 */
function listQueries(
  filter: ClaimListFilter,
  cursor?: { filedAt: string; claimNo: string },
  from?: string,
): Record<string, unknown>[] {
  const query: Record<string, unknown> = scopeFilter(filter.scope);
  if (filter.stage) query.stage = filter.stage;
  if (filter.status) query.status = filter.status;
  if (filter.line) query.line = filter.line;
  if (filter.insurerId) query.insurerId = filter.insurerId;
  if (filter.householdId) query.householdId = filter.householdId;
  if (filter.slaBreached !== undefined) query.slaBreached = filter.slaBreached;
  if (filter.eventFrom || filter.eventTo) {
    query.eventDate = {
      ...(filter.eventFrom ? { $gte: filter.eventFrom } : {}),
      ...(filter.eventTo ? { $lte: filter.eventTo } : {}),
    };
  }
  const claimNo = filter.claimNoContains ? { $regex: escapeRegex(filter.claimNoContains) } : undefined;
  if (claimNo) query.claimNo = claimNo;
  const since = from ? { $gte: from } : {};
  if (!cursor) return [from ? { ...query, filedAt: since } : query];
  return [
    { ...query, filedAt: { ...since, $lt: cursor.filedAt } },
    { ...query, filedAt: cursor.filedAt, claimNo: { ...claimNo, $lt: cursor.claimNo } },
  ];
}

/** Newest filing first, then the higher number: the list's order, for merging the cursor's two queries. */
const newestFirst = (a: ClaimProjection, b: ClaimProjection) =>
  b.filedAt.localeCompare(a.filedAt) || b.claimNo.localeCompare(a.claimNo);

const COUNTS_TOWARDS_CAPS = { status: { $in: ['open', 'paid'] }, approvedFen: { $gt: 0 } };

export function createClaimRepository(connection: Connection) {
  const claims = claimModel(connection);
  const events = claimEventModel(connection);
  const counters = claimCounterModel(connection);

  /** county|day → the creation of that day's counter under way in this process (one at a time). */
  const creatingCounter = new Map<string, Promise<void>>();

  /**
   * Creates a day's counter, starting after the highest claim number of that day already stored (a counter lost
   * with a restored database never hands out a number again). Racing creators: one insert wins, the rest find it.
   */
  function createCounter(countyCode: string, day: string): Promise<void> {
    const key = `${countyCode}|${day}`;
    let pending = creatingCounter.get(key);
    if (!pending) {
      pending = (async () => {
        const prefix = formatClaimNo(day, countyCode, 1).slice(0, -6);
        const last = await claims
          .findOne({ claimNo: { $gte: prefix, $lt: `${prefix}~` } }, { claimNo: 1, _id: 0 })
          .sort({ claimNo: -1 })
          .lean();
        const seq = last ? Number(last.claimNo.slice(-6)) : 0;
        try {
          await retryWrite(() => counters.create({ countyCode, day, seq }));
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      })().finally(() => creatingCounter.delete(key));
      creatingCounter.set(key, pending);
    }
    return pending;
  }

  return {
    /**
     * The next daily sequence number for a county: one atomic `$inc` of the day's counter, so concurrent filings in
     * any number of processes get distinct numbers. The counter is created by the day's first filing (an insert
     * apart from the increments: racing upserts of one new key deadlock on DocumentDB, increments never do).
     */
    async nextSequence(countyCode: string, filedOn: string): Promise<number> {
      for (let attempt = 0; attempt < 10; attempt++) {
        const counter = await retryWrite(() =>
          counters.findOneAndUpdate({ countyCode, day: filedOn }, { $inc: { seq: 1 } }, { new: true }).lean(),
        );
        if (counter) return counter.seq;
        await createCounter(countyCode, filedOn);
      }
      throw new Error(`could not allocate a claim number for ${countyCode} on ${filedOn}`);
    },

    /**
     * One page of claims, newest filing first, scoped and filtered in the query. Keyset pagination on
     * (filedAt, claimNo): claims filed while a client pages appear only before its cursor, never twice or skipped.
     *
     * DocumentDB sorts every document a filter matches (its indexes give no ordered scan), so a county-wide list
     * would cost the whole county. The page is therefore looked for in a window of recent filings first, on the
     * (scope, filedAt) index, and the window widens only when it holds less than a page: the newest claims of a
     * filter that matches often cost a week of filings, a rare filter costs what it matches.
     */
    async list(filter: ClaimListFilter, limit: number, cursor?: { filedAt: string; claimNo: string }): Promise<ClaimPage> {
      const newest = cursor ? Date.parse(cursor.filedAt) : Date.now();
      const page = (query: Record<string, unknown>) =>
        claims
          .find(query, LIST_FIELDS)
          .sort(LIST_ORDER)
          .limit(limit + 1)
          .lean<ClaimProjection[]>();
      let docs: ClaimProjection[] = [];
      for (let days = FIRST_WINDOW_DAYS; ;) {
        const unbounded = days > LAST_WINDOW_DAYS;
        const from = unbounded ? undefined : new Date(newest - days * DAY_MS).toISOString();
        const found = await Promise.all(listQueries(filter, cursor, from).map(page));
        docs = found
          .flat()
          .sort(newestFirst)
          .slice(0, limit + 1);
        if (docs.length > limit || unbounded) break;
        days = nextWindowDays(days, docs.length, limit + 1);
      }
      const items = docs.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: docs.length > limit && last ? encodeCursor(last) : null };
    },

    /** The database's plan for a list page's main query in its first window, as `list` runs it (for the benchmark). */
    explainList(filter: ClaimListFilter, limit: number, cursor?: { filedAt: string; claimNo: string }): Promise<unknown> {
      const newest = cursor ? Date.parse(cursor.filedAt) : Date.now();
      const [main] = listQueries(filter, cursor, new Date(newest - FIRST_WINDOW_DAYS * DAY_MS).toISOString());
      return claims.collection
        .find(main ?? {})
        .sort(LIST_ORDER)
        .limit(limit + 1)
        .explain();
    },

    /** Rows still at version 0 (as filed, before their workflow wrote anything) filed before `before`. */
    async unstartedBefore(before: string, limit = 100): Promise<string[]> {
      const docs = await claims
        .find({ version: 0, filedAt: { $lt: before } }, { claimNo: 1, _id: 0 })
        .limit(limit)
        .lean();
      return docs.map((d) => d.claimNo);
    },

    /** Removes a row its workflow never wrote (version 0): a ghost of a filing that died before starting it. */
    async remove(claimNo: string): Promise<void> {
      await retryWrite(() => claims.deleteOne({ claimNo, version: 0 }));
    },

    async find(claimNo: string): Promise<(FiledClaim & { version: number }) | null> {
      return hinted(() => claims.findOne({ claimNo }, { _id: 0, __v: 0 }).lean<(FiledClaim & { version: number }) | null>(), {
        claimNo: 1,
      });
    },

    /**
     * Idempotent progress write: audit events are inserted once each (unique claimNo+seq), and the projection is
     * replaced only when `version` is newer than the stored one.
     */
    async recordProgress({
      claimNo,
      version,
      projection,
      events: newEvents,
    }: {
      claimNo: string;
      version: number;
      projection: ClaimProjection;
      events: AuditEvent[];
    }): Promise<void> {
      if (newEvents.length > 0) {
        const docs = newEvents.map((e) => ({ ...e, _id: claimEventId(claimNo, e.seq), claimNo, at: new Date(e.at) }));
        await retryWrite(async () => {
          try {
            await events.insertMany(docs, { ordered: false });
          } catch (error) {
            // a retried write finds some or all of its events stored already: those are done
            if (!isDuplicateKeyError(error) && !isAllDuplicates(error)) throw error;
          }
        });
      }
      await retryWrite(async () => {
        try {
          await claims.updateOne({ claimNo, version: { $lt: version } }, { $set: { ...projection, version } }, { upsert: true });
        } catch (error) {
          // A newer version is already stored: the upsert found no older document and the unique claimNo refused a second one.
          if (!isDuplicateKeyError(error)) throw error;
        }
      });
    },

    async events(claimNo: string): Promise<AuditEvent[]> {
      const docs = await events.find({ claimNo }, { _id: 0, claimNo: 0, __v: 0 }).sort({ seq: 1 }).lean();
      return docs.map((d) => ({
        ...d,
        at: d.at.toISOString(),
        actor: { userId: d.actor?.userId ?? '', role: d.actor?.role ?? '' },
        reason: d.reason ?? undefined,
      }));
    },

    /**
     * Other live claims that share the event key or a loss document with this one, or (given the overlap key) name the
     * same member on the same event date under any line: accident medical and health for one stay pay only the net.
     */
    async findDuplicates({
      claimNo,
      eventKey,
      documentKeys,
      overlapKey,
    }: {
      claimNo: string;
      eventKey: string;
      documentKeys: string[];
      overlapKey?: { key: string; line: Line };
    }): Promise<string[]> {
      const or: object[] = [{ eventKey }];
      if (overlapKey) or.push({ overlapKey: overlapKey.key, line: { $ne: overlapKey.line } });
      if (documentKeys.length > 0) or.push({ documentKeys: { $in: documentKeys } });
      const docs = await claims
        .find({ $or: or, claimNo: { $ne: claimNo }, status: { $in: ['open', 'paid'] } }, { claimNo: 1, _id: 0 })
        .limit(20)
        .lean();
      return docs.map((d) => d.claimNo);
    },

    /** The household's open claims (their member and event date), to tell them of a change to the household. */
    /** The claims of a village now under public notice (the printed notice list), at most 1,000. */
    async underNotice(village: string): Promise<ClaimUnderNotice[]> {
      type Row = Omit<ClaimUnderNotice, 'notice' | 'lossKind'> &
        Partial<Pick<ClaimUnderNotice, 'notice' | 'lossKind'>> & { stageSince?: string; pending?: { dueAt?: string } };
      const rows = await claims
        .find(
          { divisionCode: village, stage: 'public_notice' },
          {
            claimNo: 1,
            householdId: 1,
            memberId: 1,
            line: 1,
            eventDate: 1,
            lossKind: 1,
            proposedFen: 1,
            notice: 1,
            stageSince: 1,
            pending: 1,
            _id: 0,
          },
        )
        .sort({ filedAt: -1 })
        .limit(1000)
        .lean<Row[]>();
      // a row without the notice (written before the read model kept it, or in the instant between entering the stage
      // and starting the notice) is still listed: its period is the stage's start and the pending due time
      return rows.map(
        ({ claimNo, householdId, memberId, line, eventDate, proposedFen, stageSince, pending, notice, lossKind }) => ({
          claimNo,
          householdId,
          memberId,
          line,
          eventDate,
          proposedFen,
          lossKind: lossKind ?? null,
          notice: notice ?? (stageSince ? { round: 1, startedAt: stageSince, endsAt: pending?.dueAt ?? stageSince } : null),
        }),
      );
    },

    /**
     * The claims with a payout settled (confirmed or bounced) in [from, to) (ISO times), in the scope, by claim
     * number: streamed in pages of 500 on the (installments.settledAt) index, for the payouts export.
     */
    async *settledPayouts(filter: {
      scope: string;
      from: string;
      to: string;
      line?: string;
      insurerId?: string;
    }): AsyncGenerator<PayoutClaim[]> {
      const query: Record<string, unknown> = {
        installments: { $elemMatch: { settledAt: { $gte: filter.from, $lt: filter.to } } },
        ...scopeFilter(filter.scope),
      };
      if (filter.line) query.line = filter.line;
      if (filter.insurerId) query.insurerId = filter.insurerId;
      let after: string | undefined;
      for (;;) {
        const page = await claims
          .find(after ? { ...query, claimNo: { $gt: after } } : query, PAYOUT_FIELDS)
          .sort({ claimNo: 1 })
          .limit(500)
          .lean<PayoutClaim[]>();
        if (page.length > 0) yield page;
        if (page.length < 500) return;
        after = page.at(-1)!.claimNo;
      }
    },

    async openOfHousehold(householdId: string): Promise<{ claimNo: string; memberId: string; eventDate: string }[]> {
      return claims
        .find({ householdId, status: 'open' }, { claimNo: 1, memberId: 1, eventDate: 1, _id: 0 })
        .limit(500)
        .lean<{ claimNo: string; memberId: string; eventDate: string }[]>();
    },

    /** The household's other claims that paid something (early warning: frequency, the year's medical burden). */
    /** Whether the member has a health claim for a hospital stay between the dates (its event date in them). */
    async hasHealthClaim(householdId: string, memberId: string, from: string, to: string): Promise<boolean> {
      const found = await claims
        .findOne({ householdId, line: 'health', memberId, eventDate: { $gte: from, $lte: to } }, { _id: 1 })
        .lean();
      return found !== null;
    },

    async paidOfHousehold(householdId: string, exceptClaimNo: string, limit = 500) {
      return claims
        .find(
          { householdId, claimNo: { $ne: exceptClaimNo }, paidFen: { $gt: 0 } },
          { claimNo: 1, line: 1, policyYear: 1, eventDate: 1, paidFen: 1, outOfPocketFen: 1, _id: 0 },
        )
        .limit(limit)
        .lean<
          {
            claimNo: string;
            line: Line;
            policyYear: number | null;
            eventDate: string;
            paidFen: number;
            outOfPocketFen?: number | null;
          }[]
        >();
    },

    /** What other claims already approved in the same policy year, for the calculator's caps. */
    async yearToDate({
      claimNo,
      householdId,
      memberId,
      line,
      policyYear,
      benefitKey,
    }: {
      claimNo: string;
      householdId: string;
      memberId: string;
      line: Line;
      policyYear: number;
      benefitKey: string;
    }): Promise<YearToDate> {
      const docs = await claims
        .find(
          { householdId, line, policyYear, claimNo: { $ne: claimNo }, ...COUNTS_TOWARDS_CAPS },
          { memberId: 1, approvedFen: 1, benefitKey: 1, _id: 0 },
        )
        .lean();
      const sum = (filter: (d: (typeof docs)[number]) => boolean) =>
        docs.filter(filter).reduce((s, d) => s + (d.approvedFen ?? 0), 0);
      const mine = (d: (typeof docs)[number]) => d.memberId === memberId;
      return {
        householdFen: sum(() => true),
        memberFen: sum(mine),
        accidentDeathDisabilityFen: sum((d) => mine(d) && d.benefitKey === 'accident:death_disability'),
        accidentMedicalFen: sum((d) => mine(d) && d.benefitKey === 'accident:medical'),
        // one education benefit per student per admission year, highest level wins: the top-up is the difference
        educationSameAdmissionFen: benefitKey.startsWith('education:')
          ? sum((d) => mine(d) && d.benefitKey.startsWith(`${benefitKey.split(':').slice(0, 2).join(':')}:`))
          : 0,
      };
    },
  };
}

export type ClaimRepository = ReturnType<typeof createClaimRepository>;
