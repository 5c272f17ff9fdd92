import type { Connection } from 'mongoose';
import type { DisasterEvent, LossEntry } from '../../domain/disaster';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { disasterEntryModel, disasterEventModel } from '../models/disaster';

export type EntryStatus = 'waiting' | 'filed' | 'refused';

export interface StoredEntry {
  id: string;
  eventId: string;
  householdId: string;
  divisionCode: string;
  line: LossEntry['line'];
  entry: LossEntry;
  memberId: string;
  status: EntryStatus;
  claimNo: string | null;
  reason: { zh: string; en: string } | null;
  enteredBy: { userId: string; role: string };
  enteredAt: string;
}

type EventDoc = Omit<DisasterEvent, 'eventId' | 'declaredAt'> & { _id: string; declaredAt: Date };
const eventOf = ({ _id, declaredAt, ...rest }: EventDoc): DisasterEvent => ({
  eventId: _id,
  ...rest,
  declaredAt: declaredAt.toISOString(),
});
type EntryDoc = Omit<StoredEntry, 'id' | 'enteredAt'> & { _id: string; enteredAt: Date };
const entryOf = ({ _id, enteredAt, ...rest }: EntryDoc & { settledAt?: unknown }): StoredEntry => {
  const { settledAt: _settled, ...entry } = rest;
  void _settled;
  return { id: _id, ...entry, enteredAt: enteredAt.toISOString() };
};

export function createDisasterRepository(connection: Connection) {
  const events = disasterEventModel(connection);
  const entries = disasterEntryModel(connection);
  return {
    async declare(event: DisasterEvent): Promise<void> {
      const { eventId, declaredAt, ...rest } = event;
      await retryWrite(() => events.create({ _id: eventId, ...rest, declaredAt: new Date(declaredAt) }));
    },

    async find(eventId: string): Promise<DisasterEvent | null> {
      const doc = await events.findById(eventId).lean<EventDoc>();
      return doc ? eventOf(doc) : null;
    },

    /** The newest events declared in a jurisdiction or touching one of its villages (a village sees its own). */
    async recent(scope: string, limit = 50): Promise<DisasterEvent[]> {
      const declaredWithin = await events
        .find({ jurisdiction: { $gte: scope, $lt: `${scope}:` } })
        .sort({ declaredAt: -1 })
        .limit(limit)
        .lean<EventDoc[]>();
      const touching =
        scope.length === 12
          ? await events.find({ villages: scope }).sort({ declaredAt: -1 }).limit(limit).lean<EventDoc[]>()
          : [];
      const byId = new Map([...declaredWithin, ...touching].map((d) => [d._id, d]));
      return [...byId.values()]
        .sort((a, b) => b.declaredAt.getTime() - a.declaredAt.getTime())
        .slice(0, limit)
        .map(eventOf);
    },

    /**
     * Records an entry; one that waits is replaced, one already filed or refused stays as it is (answered
     * 'settled'): entering a batch again never makes a second claim.
     */
    async enter(
      entry: Omit<StoredEntry, 'status' | 'claimNo' | 'reason' | 'enteredAt'>,
    ): Promise<'entered' | 'replaced' | 'settled'> {
      const { id, ...rest } = entry;
      const fields = { ...rest, enteredAt: new Date() };
      const replaced = await retryWrite(() => entries.updateOne({ _id: id, status: 'waiting' }, { $set: fields }));
      if (replaced.matchedCount === 1) return 'replaced';
      try {
        await retryWrite(() => entries.create({ _id: id, ...fields, status: 'waiting', claimNo: null, reason: null }));
        return 'entered';
      } catch (error) {
        if (isDuplicateKeyError(error)) return 'settled';
        throw error;
      }
    },

    /** Entries waiting to be filed in a jurisdiction, in key order after `after`. */
    async waiting(eventId: string, scope: string, limit: number, after?: string): Promise<StoredEntry[]> {
      const docs = await entries
        .find({
          eventId,
          status: 'waiting',
          divisionCode: { $gte: scope, $lt: `${scope}:` },
          ...(after ? { _id: { $gt: after } } : {}),
        })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<EntryDoc[]>();
      return docs.map(entryOf);
    },

    async settle(id: string, outcome: { claimNo: string } | { reason: { zh: string; en: string } }): Promise<void> {
      const fields =
        'claimNo' in outcome ? { status: 'filed', claimNo: outcome.claimNo } : { status: 'refused', reason: outcome.reason };
      await retryWrite(() => entries.updateOne({ _id: id, status: 'waiting' }, { $set: { ...fields, settledAt: new Date() } }));
    },

    /** The entries of an event (optionally of one village), in key order: the progress view's pages. */
    async list(eventId: string, { village, after, limit = 500 }: { village?: string; after?: string; limit?: number }) {
      const docs = await entries
        .find({ eventId, ...(village ? { divisionCode: village } : {}), ...(after ? { _id: { $gt: after } } : {}) })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<EntryDoc[]>();
      return docs.map(entryOf);
    },

    /** How many entries of the event (in a jurisdiction) are waiting, filed and refused. */
    async counts(eventId: string, scope: string): Promise<Record<EntryStatus, number>> {
      const within = { $gte: scope, $lt: `${scope}:` };
      const counted = await Promise.all(
        (['waiting', 'filed', 'refused'] as const).map(
          async (status) => [status, await entries.countDocuments({ eventId, status, divisionCode: within })] as const,
        ),
      );
      return Object.fromEntries(counted) as Record<EntryStatus, number>;
    },
  };
}

export type DisasterRepository = ReturnType<typeof createDisasterRepository>;
