import type { Connection } from 'mongoose';
import type { PiiCipher } from '../../common/crypto/pii';
import { randomUUID } from 'node:crypto';
import { mapPersonalNumbers, type Household } from '../../domain/household';
import { maskTail } from '../../domain/masking';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { householdChangeModel } from '../models/household-change';
import { hinted } from '../hint';
import { householdModel } from '../models/household';

/** Who changed a household, why, and from where; `changeId` makes a retried change write once. */
export interface HouseholdChange {
  by: { userId: string; role: string };
  reason?: string;
  approvedBy?: string;
  source: { kind: 'household_api' | 'account_correction'; claimNo?: string };
  changeId?: string;
}

const TRACKED_FIELDS = [
  'divisionCode',
  'members',
  'categoryHistory',
  'enrollments',
  'payoutAccount',
  'assistanceContact',
] as const;
const masked = (h: Household) => mapPersonalNumbers(h, (v) => maskTail(v));

/** Households at rest: personal numbers encrypted (AES-256-GCM), found by keyed hash; callers see plain households. */
export function createHouseholdRepository(connection: Connection, pii: PiiCipher) {
  const model = householdModel(connection);
  const changes = householdChangeModel(connection);

  /** The trace of a change, written before the record: a change is never applied without its trace. */
  async function trace(before: Household | null, after: Household, change: HouseholdChange): Promise<boolean> {
    const fields = TRACKED_FIELDS.filter((f) => JSON.stringify(before?.[f]) !== JSON.stringify(after[f]));
    if (before && fields.length === 0) return false;
    try {
      await retryWrite(() =>
        changes.create({
          _id: change.changeId ?? randomUUID(),
          householdId: after.householdId,
          at: new Date(),
          by: change.by,
          ...(change.approvedBy ? { approvedBy: change.approvedBy } : {}),
          ...(change.reason ? { reason: change.reason } : {}),
          source: change.source,
          fields,
          ...(before ? { before: masked(before) } : {}),
          after: masked(after),
        }),
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // the same change retried: traced already
    }
    return true;
  }
  // Records written before encryption was introduced hold clear values: read them as they are; the next save encrypts.
  const open = (data: unknown) => mapPersonalNumbers(data as Household, (v) => (pii.isEncrypted(v) ? pii.decrypt(v) : v));
  return {
    /** Creates or replaces a validated household (the caller validated it with HouseholdSchema). */
    async save(household: Household): Promise<void> {
      const current = household.categoryHistory.reduce((a, b) => (b.from > a.from ? b : a));
      const write = () =>
        model.updateOne(
          { householdId: household.householdId },
          {
            $set: {
              divisionCode: household.divisionCode,
              currentCategory: current.category,
              memberNames: household.members.map((m) => m.name),
              idSuffixes: household.members.map((m) => m.residentId.slice(-4)),
              residentIdHashes: household.members.map((m) => pii.lookupHash(m.residentId)),
              data: mapPersonalNumbers(household, (v) => pii.encrypt(v)),
            },
          },
          { upsert: true },
        );
      await retryWrite(write, { upsert: true });
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

    /** Saves a household with the trace of who changed what and why (nothing is written when nothing changed). */
    async change(household: Household, change: HouseholdChange): Promise<{ created: boolean; changed: boolean }> {
      const before = await this.find(household.householdId);
      const changed = await trace(before, household, change);
      if (changed) await this.save(household);
      return { created: before === null, changed };
    },

    /**
     * A claim's corrected payout account, approved by a second person, becomes the household's account (dated and
     * traced), so the household's next claim is paid to it too. Idempotent per claim and account.
     */
    async replacePayoutAccount(
      householdId: string,
      account: { cardNumber: string; holderName: string; holderResidentId: string },
      change: HouseholdChange,
    ): Promise<void> {
      const household = await this.find(householdId);
      if (!household) return;
      await this.change({ ...household, payoutAccount: { ...household.payoutAccount, ...account } }, change);
    },

    /** The household's changes, newest first (personal numbers masked). */
    async changes(householdId: string, limit = 50) {
      return changes.find({ householdId }, { __v: 0 }).sort({ at: -1 }).limit(limit).lean();
    },

    async find(householdId: string): Promise<Household | null> {
      const doc = await hinted(() => model.findOne({ householdId }, { data: 1, _id: 0 }).lean(), { householdId: 1 });
      return doc ? open(doc.data) : null;
    },
  };
}

export type HouseholdRepository = ReturnType<typeof createHouseholdRepository>;
