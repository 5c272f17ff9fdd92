import type { Connection } from 'mongoose';
import type { PiiCipher } from '../../common/crypto/pii';
import {
  BANK_ID,
  DATA_SOURCES_ID,
  PARTNER_KINDS,
  snapshotOfRegistry,
  type PartnerEndpoint,
  type PartnerKind,
  type PartnerSnapshot,
} from '../../common/partners/directory';
import type { PartnerRegistry } from '../../common/partners/registry';
import { keyIdOf } from '../../common/partners/signature';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { partnerMessageModel, partnerModel } from '../models/partner';

export interface PartnerKeyView {
  keyId: string;
  state: 'active' | 'retired';
  addedAt: string;
  addedBy: string;
  retiredAt: string | null;
  retiredBy: string | null;
}

export interface PartnerHistoryEntry {
  at: string;
  action: 'seeded' | 'key_added' | 'key_retired' | 'sandbox_set' | 'url_set';
  by: string;
  byRole: string;
  reason: string | null;
  keyId: string | null;
  before: unknown;
  after: unknown;
}

/** A partner as ops see it: never a secret. */
export interface PartnerView {
  partnerId: string;
  kind: PartnerKind;
  url: string;
  sandboxUrl: string | null;
  keys: PartnerKeyView[];
  version: number;
  updatedAt: string;
}

export interface PartnerActor {
  by: string;
  byRole: string;
}

export interface PartnerMessage {
  partnerId: string;
  keyId: string;
  route: string;
  deliveryId: string;
  at: string;
}

interface KeyDoc {
  keyId: string;
  secret: string;
  state: 'active' | 'retired';
  addedAt: Date;
  addedBy: string;
  retiredAt: Date | null;
  retiredBy: string | null;
}
interface HistoryDoc extends Omit<PartnerHistoryEntry, 'at'> {
  at: Date;
}
interface Doc {
  _id: string;
  kind: PartnerKind;
  url: string;
  sandboxUrl: string | null;
  keys: KeyDoc[];
  history: HistoryDoc[];
  version: number;
  updatedAt: Date;
}

/** Why a registry change was not made (the service turns each into a problem the operator can act on). */
export type PartnerChangeRefusal =
  | { refused: 'NOT_FOUND' }
  | { refused: 'STALE'; currentVersion: number }
  | { refused: 'TWO_ACTIVE_KEYS' }
  | { refused: 'KEY_EXISTS'; keyId: string }
  | { refused: 'KEY_NOT_ACTIVE'; keyId: string }
  | { refused: 'LAST_ACTIVE_KEY'; keyId: string };

const viewOf = (d: Doc): PartnerView => ({
  partnerId: d._id,
  kind: d.kind,
  url: d.url,
  sandboxUrl: d.sandboxUrl ?? null,
  keys: d.keys.map((k) => ({
    keyId: k.keyId,
    state: k.state,
    addedAt: k.addedAt.toISOString(),
    addedBy: k.addedBy,
    retiredAt: k.retiredAt?.toISOString() ?? null,
    retiredBy: k.retiredBy ?? null,
  })),
  version: d.version,
  updatedAt: d.updatedAt.toISOString(),
});

/** Every partner, as a query the kind index serves (the registry is small, but no query scans a collection). */
const EVERY_PARTNER = { kind: { $in: [...PARTNER_KINDS] } };

const SEED_ACTOR: PartnerActor = { by: 'PARTNERS_FILE', byRole: 'system' };

/** The partner registry and the log of messages partners signed; secrets encrypted at rest with `pii`. */
export function createPartnerRepository(connection: Connection, pii: PiiCipher) {
  const model = partnerModel(connection);
  const messages = partnerMessageModel(connection);

  const endpointOf = (d: Doc): PartnerEndpoint => ({
    id: d._id,
    kind: d.kind,
    url: d.url,
    secrets: d.keys.filter((k) => k.state === 'active').map((k) => pii.decrypt(k.secret)),
    ...(d.sandboxUrl ? { sandboxUrl: d.sandboxUrl } : {}),
  });

  /**
   * One change on the version read, retried on a lost race after reading again: `change` says what to write (or why
   * not) from the document as it is now. The `$set` and the history entry land in one conditional update.
   */
  async function change(
    partnerId: string,
    expectedVersion: number | undefined,
    change: (doc: Doc) => { set: Partial<Doc>; entry: Omit<HistoryDoc, 'at' | 'by' | 'byRole'> } | PartnerChangeRefusal,
    actor: PartnerActor,
    now: Date,
  ): Promise<PartnerView | PartnerChangeRefusal> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const doc = await model.findById(partnerId).lean<Doc>();
      if (!doc) return { refused: 'NOT_FOUND' };
      if (expectedVersion !== undefined && doc.version !== expectedVersion)
        return { refused: 'STALE', currentVersion: doc.version };
      const next = change(doc);
      if ('refused' in next) return next;
      const entry: HistoryDoc = { at: now, ...actor, ...next.entry };
      const updated = await retryWrite(() =>
        model
          .findOneAndUpdate(
            { _id: partnerId, version: doc.version },
            { $set: { ...next.set, updatedAt: now }, $push: { history: entry }, $inc: { version: 1 } },
            { new: true, timestamps: false },
          )
          .lean<Doc>(),
      );
      if (updated) return viewOf(updated);
      if (expectedVersion !== undefined) {
        const current = await model.findById(partnerId, { version: 1 }).lean<{ version: number }>();
        return current ? { refused: 'STALE', currentVersion: current.version } : { refused: 'NOT_FOUND' };
      }
    }
    throw new Error(`the registry entry of ${partnerId} kept changing under five attempts`);
  }

  const newKey = (secret: string, actor: PartnerActor, now: Date): KeyDoc => ({
    keyId: keyIdOf(secret),
    secret: pii.encrypt(secret),
    state: 'active',
    addedAt: now,
    addedBy: actor.by,
    retiredAt: null,
    retiredBy: null,
  });

  return {
    /**
     * Inserts each partner of the file that the database does not hold yet; a partner already here keeps its record
     * (its keys and URLs are the ops API's from then on). Returns the ids inserted.
     */
    async seed(registry: PartnerRegistry, now = new Date()): Promise<string[]> {
      const snapshot = snapshotOfRegistry(registry);
      const inserted: string[] = [];
      for (const endpoint of [...snapshot.insurers, snapshot.bank, snapshot.dataSources]) {
        const doc = {
          kind: endpoint.kind,
          url: endpoint.url,
          sandboxUrl: null,
          keys: endpoint.secrets.map((s) => newKey(s, SEED_ACTOR, now)),
          history: [{ at: now, ...SEED_ACTOR, action: 'seeded', reason: null, keyId: null, before: null, after: null }],
          version: 1,
          createdAt: now,
          updatedAt: now,
        };
        try {
          const result = await retryWrite(
            () => model.updateOne({ _id: endpoint.id }, { $setOnInsert: doc }, { upsert: true, timestamps: false }),
            { upsert: true },
          );
          if (result.upsertedCount === 1) inserted.push(endpoint.id);
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error; // another process seeded it first
        }
      }
      return inserted;
    },

    /** The registry as the signing and verifying processes use it; throws when the bank or data service is missing. */
    async snapshot(): Promise<PartnerSnapshot> {
      const docs = await model.find(EVERY_PARTNER, { history: 0 }).lean<Doc[]>();
      const bank = docs.find((d) => d._id === BANK_ID);
      const dataSources = docs.find((d) => d._id === DATA_SOURCES_ID);
      if (!bank || !dataSources)
        throw new Error('the partner registry has no bank or no data service: seed it from PARTNERS_FILE');
      return {
        insurers: docs
          .filter((d) => d.kind === 'insurer')
          .sort((a, b) => a._id.localeCompare(b._id))
          .map(endpointOf),
        bank: endpointOf(bank),
        dataSources: endpointOf(dataSources),
      };
    },

    async isEmpty(): Promise<boolean> {
      return (await model.findOne(EVERY_PARTNER, { _id: 1 }).lean()) === null;
    },

    async list(): Promise<PartnerView[]> {
      const docs = await model.find(EVERY_PARTNER, { history: 0 }).lean<Doc[]>();
      return docs.sort((a, b) => a.kind.localeCompare(b.kind) || a._id.localeCompare(b._id)).map(viewOf);
    },

    async get(partnerId: string): Promise<PartnerView | undefined> {
      const doc = await model.findById(partnerId, { history: 0 }).lean<Doc>();
      return doc ? viewOf(doc) : undefined;
    },

    async history(partnerId: string): Promise<PartnerHistoryEntry[] | undefined> {
      const doc = await model.findById(partnerId, { history: 1 }).lean<Pick<Doc, 'history'>>();
      return doc?.history.map((h) => ({ ...h, at: h.at.toISOString() })).reverse();
    },

    /** Adds the partner's next key (at most two are active: the current and the next). */
    addKey(partnerId: string, secret: string, actor: PartnerActor, reason: string, now = new Date()) {
      const keyId = keyIdOf(secret);
      return change(
        partnerId,
        undefined,
        (doc) => {
          if (doc.keys.some((k) => k.keyId === keyId)) return { refused: 'KEY_EXISTS', keyId };
          if (doc.keys.filter((k) => k.state === 'active').length >= 2) return { refused: 'TWO_ACTIVE_KEYS' };
          return {
            set: { keys: [...doc.keys, newKey(secret, actor, now)] },
            entry: { action: 'key_added', keyId, reason, before: null, after: null },
          };
        },
        actor,
        now,
      );
    },

    /** Retires an active key; the partner's last active key cannot be retired. */
    retireKey(partnerId: string, keyId: string, actor: PartnerActor, reason: string, now = new Date()) {
      return change(
        partnerId,
        undefined,
        (doc) => {
          const key = doc.keys.find((k) => k.keyId === keyId);
          if (!key || key.state !== 'active') return { refused: 'KEY_NOT_ACTIVE', keyId };
          if (doc.keys.filter((k) => k.state === 'active').length < 2) return { refused: 'LAST_ACTIVE_KEY', keyId };
          const keys = doc.keys.map((k) =>
            k.keyId === keyId ? { ...k, state: 'retired' as const, retiredAt: now, retiredBy: actor.by } : k,
          );
          return { set: { keys }, entry: { action: 'key_retired', keyId, reason, before: null, after: null } };
        },
        actor,
        now,
      );
    },

    /** Sets the partner's URL and its sandbox's (null: no sandbox), on the version read. */
    setEndpoints(
      partnerId: string,
      expectedVersion: number,
      endpoints: { url?: string; sandboxUrl?: string | null },
      actor: PartnerActor,
      reason: string,
      now = new Date(),
    ) {
      return change(
        partnerId,
        expectedVersion,
        (doc) => {
          const set: Partial<Doc> = {};
          if (endpoints.url !== undefined) set.url = endpoints.url;
          if (endpoints.sandboxUrl !== undefined) set.sandboxUrl = endpoints.sandboxUrl;
          const action = endpoints.url !== undefined && endpoints.url !== doc.url ? 'url_set' : 'sandbox_set';
          return {
            set,
            entry: {
              action,
              keyId: null,
              reason,
              before: { url: doc.url, sandboxUrl: doc.sandboxUrl ?? null },
              after: {
                url: set.url ?? doc.url,
                sandboxUrl: set.sandboxUrl === undefined ? (doc.sandboxUrl ?? null) : set.sandboxUrl,
              },
            },
          };
        },
        actor,
        now,
      );
    },

    /** Logs a verified message from a partner, with the key that verified it. */
    async recordMessage(message: Omit<PartnerMessage, 'at'>, at = new Date()): Promise<void> {
      await retryWrite(() => messages.create({ ...message, at }));
    },

    /** The partner's messages since `since`, newest first. */
    async messages(partnerId: string, since: Date, limit: number): Promise<PartnerMessage[]> {
      const docs = await messages
        .find({ partnerId, at: { $gte: since } }, { _id: 0 })
        .sort({ at: -1 })
        .limit(limit)
        .lean<(Omit<PartnerMessage, 'at'> & { at: Date })[]>();
      return docs.map((m) => ({ ...m, at: m.at.toISOString() }));
    },

    /** When the key last verified a message since `since` (undefined: not since then). */
    async lastUse(partnerId: string, keyId: string, since: Date): Promise<string | undefined> {
      const doc = await messages
        .findOne({ partnerId, keyId, at: { $gte: since } }, { at: 1, _id: 0 })
        .sort({ at: -1 })
        .lean<{ at: Date }>();
      return doc?.at.toISOString();
    },

    async pruneMessages(before: Date): Promise<number> {
      return (await retryWrite(() => messages.deleteMany({ at: { $lt: before } }))).deletedCount;
    },
  };
}

export type PartnerRepository = ReturnType<typeof createPartnerRepository>;
