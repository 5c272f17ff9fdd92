import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { PiiCipher } from '../../common/crypto/pii';
import { diffHouseholds, type HouseholdDiff, type SensitiveChange } from '../../domain/household-change';
import { mapPersonalNumbers, type Household } from '../../domain/household';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { hinted } from '../hint';
import { claimSnapshotModel } from '../models/claim-snapshot';
import { householdModel } from '../models/household';

/** Who changes a household, why, and from where. */
export interface ChangeAuthor {
  by: { userId: string; role: string };
  reason?: string;
  /** A second person who approved the change (an account correction approved on its claim). */
  approvedBy?: string;
  source: {
    kind: 'household_api' | 'account_correction' | 'excel_import' | 'monitoring_decision';
    claimNo?: string;
    importId?: string;
    row?: number;
    referralId?: string;
  };
  /** The change's own key: a retried change with the same key applies once. */
  changeId?: string;
}

/** One version of a household record, as kept in its document (personal numbers masked). */
export interface HouseholdVersion extends Pick<HouseholdDiff, 'fields' | 'sensitive' | 'before' | 'after'> {
  changeId: string;
  status: 'applied' | 'rejected';
  at: string;
  by: { userId: string; role: string };
  reason?: string;
  approvedBy?: string;
  decisionReason?: string;
  source: ChangeAuthor['source'];
  /** The version number the change produced (applied changes). */
  version?: number;
  /** The household's open claims were told of the change (applied changes that matter to claims). */
  notified: boolean;
}

/** A change waiting for a second person: the proposed record rides along, encrypted like the record itself. */
export interface PendingChange extends Pick<HouseholdDiff, 'fields' | 'sensitive' | 'before' | 'after'> {
  changeId: string;
  at: string;
  by: { userId: string; role: string };
  reason?: string;
  source: ChangeAuthor['source'];
  baseVersion: number;
  proposed: unknown;
  /** A keyed hash of the proposed record: the same change asked for again (a re-run import) finds this one. */
  fingerprint?: string;
}

export type ProposeResult =
  | { status: 'unchanged'; created: false }
  | {
      status: 'applied';
      created: boolean;
      changeId: string;
      version: HouseholdVersion;
      /** The change had been applied already under this key (a retry): nothing was written now. */
      replayed?: boolean;
    }
  | { status: 'pending'; created: false; changeId: string; sensitive: SensitiveChange[] }
  | { status: 'conflict' };

export type DecideResult =
  | { status: 'applied'; version: HouseholdVersion; household: Household }
  | { status: 'rejected'; version: HouseholdVersion }
  | { status: 'not_found' | 'self_approval' | 'stale' };

const KEEP_VERSIONS = 100;
const MAX_PENDING = 20;
const CLAIM_RELEVANT: readonly SensitiveChange[] = ['category', 'member_removed', 'member_left', 'member_died'];
/** The version a change was made from; records written before versions were kept have none, which is version 0. */
const atVersion = (version: number) => (version === 0 ? { $in: [0, null] } : version);

/**
 * Households at rest: personal numbers encrypted (AES-256-GCM), found by keyed hash; callers see plain households.
 * Every change is one atomic conditional update of the household's document: the record, its version number and the
 * trace of the change together, conditioned on the version the change was made from.
 */
export function createHouseholdRepository(connection: Connection, pii: PiiCipher) {
  const model = householdModel(connection);
  const snapshots = claimSnapshotModel(connection);
  // Records written before encryption was introduced hold clear values: read them as they are; the next save encrypts.
  const open = (data: unknown) => mapPersonalNumbers(data as Household, (v) => (pii.isEncrypted(v) ? pii.decrypt(v) : v));
  const seal = (household: Household) => mapPersonalNumbers(household, (v) => pii.encrypt(v));

  /** The record and the fields lifted beside it for queries. */
  function recordFields(household: Household) {
    const current = household.categoryHistory.reduce((a, b) => (b.from > a.from ? b : a));
    return {
      divisionCode: household.divisionCode,
      currentCategory: current.category,
      memberNames: household.members.map((m) => m.name),
      idSuffixes: household.members.map((m) => m.residentId.slice(-4)),
      residentIdHashes: household.members.map((m) => pii.lookupHash(m.residentId)),
      data: seal(household),
    };
  }

  async function read(householdId: string) {
    const doc = await hinted(
      () =>
        model
          .findOne({ householdId }, { data: 1, version: 1, changes: 1, pending: 1, _id: 0 })
          .lean<{ data: unknown; version?: number; changes?: HouseholdVersion[]; pending?: PendingChange[] }>(),
      { householdId: 1 },
    );
    return doc
      ? { household: open(doc.data), version: doc.version ?? 0, changes: doc.changes ?? [], pending: doc.pending ?? [] }
      : null;
  }

  function versionOf(diff: HouseholdDiff, author: ChangeAuthor, changeId: string, version: number): HouseholdVersion {
    return {
      changeId,
      status: 'applied',
      at: new Date().toISOString(),
      by: author.by,
      ...(author.reason ? { reason: author.reason } : {}),
      ...(author.approvedBy ? { approvedBy: author.approvedBy } : {}),
      source: author.source,
      fields: diff.fields,
      sensitive: diff.sensitive,
      before: diff.before,
      after: diff.after,
      version,
      notified: !diff.sensitive.some((s) => CLAIM_RELEVANT.includes(s)),
    };
  }

  /** Applies a record at the version it was made from; false when someone changed the household meanwhile. */
  async function applyAt(household: Household, baseVersion: number, entry: HouseholdVersion, pull?: string) {
    const result = await retryWrite(() =>
      model.updateOne(
        { householdId: household.householdId, version: atVersion(baseVersion) },
        {
          $set: recordFields(household),
          $inc: { version: 1 },
          $push: { changes: { $each: [entry], $slice: -KEEP_VERSIONS } },
          ...(pull ? { $pull: { pending: { changeId: pull } } } : {}),
        },
      ),
    );
    return result.matchedCount === 1;
  }

  async function create(household: Household, entry: HouseholdVersion): Promise<boolean> {
    try {
      await retryWrite(() =>
        model.create({
          householdId: household.householdId,
          ...recordFields(household),
          version: 1,
          changes: [entry],
          pending: [],
        }),
      );
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  return {
    /**
     * Registers a household or changes it. A change that decides who is insured, in which category or where the
     * money goes waits for a second person (`pending`); anything else applies at once. Either way it is traced. A
     * household changed by someone else since it was read is a `conflict` (read again, change again).
     */
    async propose(after: Household, author: ChangeAuthor): Promise<ProposeResult> {
      const current = await read(after.householdId);
      const changeId = author.changeId ?? randomUUID();
      const diff = diffHouseholds(current?.household ?? null, after);
      if (!current) {
        const entry = versionOf(diff, author, changeId, 1);
        return (await create(after, entry))
          ? { status: 'applied', created: true, changeId, version: entry }
          : { status: 'conflict' };
      }
      const done = current.changes.find((c) => c.changeId === changeId);
      if (done?.status === 'applied')
        return { status: 'applied', created: done.version === 1, changeId, version: done, replayed: true };
      if (done) return { status: 'unchanged', created: false };
      const fingerprint = pii.lookupHash(JSON.stringify(after));
      const asked = current.pending.find((p) => p.changeId === changeId || p.fingerprint === fingerprint);
      if (asked) return { status: 'pending', created: false, changeId: asked.changeId, sensitive: asked.sensitive };
      if (diff.fields.length === 0) return { status: 'unchanged', created: false };
      if (diff.sensitive.length > 0 && !author.approvedBy) {
        if (current.pending.length >= MAX_PENDING) return { status: 'conflict' };
        const pending: PendingChange = {
          changeId,
          at: new Date().toISOString(),
          by: author.by,
          ...(author.reason ? { reason: author.reason } : {}),
          source: author.source,
          fields: diff.fields,
          sensitive: diff.sensitive,
          before: diff.before,
          after: diff.after,
          baseVersion: current.version,
          proposed: seal(after),
          fingerprint,
        };
        const written = await retryWrite(() =>
          model.updateOne({ householdId: after.householdId, version: atVersion(current.version) }, { $push: { pending } }),
        );
        return written.matchedCount === 1
          ? { status: 'pending', created: false, changeId, sensitive: diff.sensitive }
          : { status: 'conflict' };
      }
      const entry = versionOf(diff, author, changeId, current.version + 1);
      return (await applyAt(after, current.version, entry))
        ? { status: 'applied', created: false, changeId, version: entry }
        : { status: 'conflict' };
    },

    /**
     * A second person approves (or rejects) a pending change. Approval applies the proposed record only if the
     * household is still at the version the change was made from; otherwise the change is stale and stays pending.
     * Idempotent: a change already decided answers with its version.
     */
    async decide(
      householdId: string,
      changeId: string,
      decision: { approve: boolean; by: { userId: string; role: string }; reason?: string },
    ): Promise<DecideResult> {
      const current = await read(householdId);
      if (!current) return { status: 'not_found' };
      const done = current.changes.find((c) => c.changeId === changeId);
      if (done)
        return done.status === 'applied'
          ? { status: 'applied', version: done, household: current.household }
          : { status: 'rejected', version: done };
      const pending = current.pending.find((p) => p.changeId === changeId);
      if (!pending) return { status: 'not_found' };
      if (pending.by.userId === decision.by.userId) return { status: 'self_approval' };
      const entry: HouseholdVersion = {
        changeId,
        status: decision.approve ? 'applied' : 'rejected',
        at: new Date().toISOString(),
        by: pending.by,
        ...(pending.reason ? { reason: pending.reason } : {}),
        approvedBy: decision.by.userId,
        ...(decision.reason ? { decisionReason: decision.reason } : {}),
        source: pending.source,
        fields: pending.fields,
        sensitive: pending.sensitive,
        before: pending.before,
        after: pending.after,
        notified: !decision.approve || !pending.sensitive.some((s) => CLAIM_RELEVANT.includes(s)),
      };
      if (!decision.approve) {
        await retryWrite(() =>
          model.updateOne(
            { householdId, 'pending.changeId': changeId },
            { $pull: { pending: { changeId } }, $push: { changes: { $each: [entry], $slice: -KEEP_VERSIONS } } },
          ),
        );
        return { status: 'rejected', version: entry };
      }
      if (pending.baseVersion !== current.version) return { status: 'stale' };
      const proposed = open(pending.proposed);
      entry.version = current.version + 1;
      return (await applyAt(proposed, pending.baseVersion, entry, changeId))
        ? { status: 'applied', version: entry, household: proposed }
        : { status: 'stale' };
    },

    /** A household's versions (newest first) and its pending changes, personal numbers masked. */
    async history(
      householdId: string,
    ): Promise<{ versions: HouseholdVersion[]; pending: Omit<PendingChange, 'proposed'>[] } | null> {
      const current = await read(householdId);
      if (!current) return null;
      return {
        versions: [...current.changes].reverse(),
        pending: current.pending.map(({ proposed: _p, ...rest }) => rest),
      };
    },

    /** The household's open claims were told of a change. */
    async markNotified(householdId: string, changeId: string): Promise<void> {
      await retryWrite(() =>
        model.updateOne({ householdId, 'changes.changeId': changeId }, { $set: { 'changes.$.notified': true } }),
      );
    },

    /** Applied changes whose open claims were not told yet (a process died in between): oldest households first. */
    async untold(limit = 100): Promise<{ householdId: string; version: HouseholdVersion }[]> {
      const docs = await model
        .find({ 'changes.notified': false }, { householdId: 1, changes: 1, _id: 0 })
        .limit(limit)
        .lean<{ householdId: string; changes: HouseholdVersion[] }[]>();
      return docs.flatMap((d) =>
        d.changes.filter((c) => !c.notified).map((version) => ({ householdId: d.householdId, version })),
      );
    },

    /**
     * Creates or replaces a household as it stands, traced as a change by `author` (seeding, tests, imports that
     * were approved elsewhere). Retries a lost race against a concurrent change.
     */
    async save(
      household: Household,
      author: ChangeAuthor = {
        by: { userId: 'system', role: 'system' },
        approvedBy: 'system',
        source: { kind: 'household_api' },
      },
    ): Promise<void> {
      for (let attempt = 0; attempt < 10; attempt++) {
        const result = await this.propose(household, { ...author, approvedBy: author.approvedBy ?? 'system' });
        if (result.status !== 'conflict') return;
      }
      throw new Error(`household ${household.householdId} kept changing while it was saved`);
    },

    /**
     * A claim's corrected payout account, approved by a second person on the claim, becomes the household's account
     * (traced with both people), so the household's next claim is paid to it too. Idempotent per change id.
     */
    async replacePayoutAccount(
      householdId: string,
      account: { cardNumber: string; holderName: string; holderResidentId: string },
      author: ChangeAuthor,
    ): Promise<void> {
      for (let attempt = 0; attempt < 10; attempt++) {
        const current = await read(householdId);
        if (!current) return;
        const result = await this.propose(
          { ...current.household, payoutAccount: { ...current.household.payoutAccount, ...account } },
          author,
        );
        if (result.status !== 'conflict') return;
      }
      throw new Error(`household ${householdId} kept changing while its account was replaced`);
    },

    /** Households in a jurisdiction (a division-code prefix), optionally by category, member name or ID suffix; paged by id. */
    async search(
      {
        scope,
        category,
        name,
        idSuffix,
        residentId,
      }: { scope: string; category?: string; name?: string; idSuffix?: string; residentId?: string },
      limit: number,
      after?: string,
    ): Promise<{ items: Household[]; nextCursor: string | null }> {
      // the jurisdiction as a range of division codes (digits sort before ':'), served by the divisionCode index
      const query: Record<string, unknown> = { divisionCode: { $gte: scope, $lt: `${scope}:` } };
      if (category) query.currentCategory = category;
      if (name) query.memberNames = name;
      if (idSuffix) query.idSuffixes = idSuffix;
      if (residentId) query.residentIdHashes = pii.lookupHash(residentId);
      if (after) query.householdId = { $gt: after };
      const docs = await model
        .find(query, { data: 1, householdId: 1, _id: 0 })
        .sort({ householdId: 1 })
        .limit(limit + 1)
        .lean();
      const items = docs.slice(0, limit).map((d) => open(d.data));
      return { items, nextCursor: docs.length > limit ? (items.at(-1)?.householdId ?? null) : null };
    },

    /** The household numbers (and villages) of a jurisdiction, in pages by number, on the (divisionCode, householdId) index. */
    async *idsInScope(scope: string, pageSize = 500): AsyncGenerator<{ householdId: string; divisionCode: string }[]> {
      let after: string | undefined;
      for (;;) {
        const query: Record<string, unknown> = { divisionCode: { $gte: scope, $lt: `${scope}:` } };
        if (after) query.householdId = { $gt: after };
        const page = await model
          .find(query, { householdId: 1, divisionCode: 1, _id: 0 })
          .sort({ householdId: 1 })
          .limit(pageSize)
          .lean<{ householdId: string; divisionCode: string }[]>();
        if (page.length > 0) yield page;
        if (page.length < pageSize) return;
        after = page.at(-1)!.householdId;
      }
    },

    /**
     * Keeps the household as a claim is filed against it, data and version from one read (`findVersioned`); a retried
     * write of the same claim keeps the first.
     */
    async snapshotForClaim(claimNo: string, { household, version }: VersionedHousehold): Promise<void> {
      try {
        await retryWrite(() =>
          snapshots.create({
            _id: claimNo,
            householdId: household.householdId,
            householdVersion: version,
            takenAt: new Date(),
            data: seal(household),
          }),
        );
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    },

    /** The household as the claim was filed with it; the current record for claims filed before snapshots existed. */
    async asFiled(claimNo: string | undefined, householdId: string): Promise<Household | null> {
      if (claimNo) {
        const snapshot = await snapshots.findById(claimNo, { data: 1 }).lean();
        if (snapshot) return open(snapshot.data);
      }
      return this.find(householdId);
    },

    /** The household and its version, in one read of the indexed record (no change log, no pending changes). */
    async findVersioned(householdId: string): Promise<VersionedHousehold | null> {
      const doc = await hinted(
        () => model.findOne({ householdId }, { data: 1, version: 1, _id: 0 }).lean<{ data: unknown; version?: number }>(),
        { householdId: 1 },
      );
      return doc ? { household: open(doc.data), version: doc.version ?? 0 } : null;
    },

    async find(householdId: string): Promise<Household | null> {
      const doc = await hinted(() => model.findOne({ householdId }, { data: 1, _id: 0 }).lean(), { householdId: 1 });
      return doc ? open(doc.data) : null;
    },
  };
}

export type HouseholdRepository = ReturnType<typeof createHouseholdRepository>;

/** A household as read at one version: what a claim is filed against. */
export interface VersionedHousehold {
  household: Household;
  version: number;
}
