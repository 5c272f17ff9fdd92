import type { Connection } from 'mongoose';
import type { PiiCipher } from '../../common/crypto/pii';
import { mapPersonalNumbers, type Household } from '../../domain/household';
import { retryWrite } from '../errors';
import { hinted } from '../hint';
import { householdModel } from '../models/household';

/** Households at rest: personal numbers encrypted (AES-256-GCM), found by keyed hash; callers see plain households. */
export function createHouseholdRepository(connection: Connection, pii: PiiCipher) {
  const model = householdModel(connection);
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

    async find(householdId: string): Promise<Household | null> {
      const doc = await hinted(() => model.findOne({ householdId }, { data: 1, _id: 0 }).lean(), { householdId: 1 });
      return doc ? open(doc.data) : null;
    },
  };
}

export type HouseholdRepository = ReturnType<typeof createHouseholdRepository>;
