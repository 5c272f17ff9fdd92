import type { Connection } from 'mongoose';
import type { Household } from '../../domain/household';
import { householdModel } from '../models/household';

export function createHouseholdRepository(connection: Connection) {
  const model = householdModel(connection);
  return {
    /** Creates or replaces a validated household (the caller validated it with HouseholdSchema). */
    async save(household: Household): Promise<void> {
      const current = household.categoryHistory.reduce((a, b) => (b.from > a.from ? b : a));
      await model.updateOne(
        { householdId: household.householdId },
        {
          $set: {
            divisionCode: household.divisionCode,
            currentCategory: current.category,
            memberNames: household.members.map((m) => m.name),
            idSuffixes: household.members.map((m) => m.residentId.slice(-4)),
            data: household,
          },
        },
        { upsert: true },
      );
    },
    /** Households in a jurisdiction (a division-code prefix), optionally by category, member name or ID suffix; paged by id. */
    async search(
      { scope, category, name, idSuffix }: { scope: string; category?: string; name?: string; idSuffix?: string },
      limit: number,
      after?: string,
    ): Promise<{ items: Household[]; nextCursor: string | null }> {
      const query: Record<string, unknown> = { divisionCode: { $regex: `^${scope}` } };
      if (category) query.currentCategory = category;
      if (name) query.memberNames = name;
      if (idSuffix) query.idSuffixes = idSuffix;
      if (after) query.householdId = { $gt: after };
      const docs = await model
        .find(query, { data: 1, householdId: 1, _id: 0 })
        .sort({ householdId: 1 })
        .limit(limit + 1)
        .lean();
      const items = docs.slice(0, limit).map((d) => d.data as Household);
      return { items, nextCursor: docs.length > limit ? (items.at(-1)?.householdId ?? null) : null };
    },

    async find(householdId: string): Promise<Household | null> {
      const doc = await model.findOne({ householdId }, { data: 1, _id: 0 }).lean();
      return doc ? (doc.data as Household) : null;
    },
  };
}

export type HouseholdRepository = ReturnType<typeof createHouseholdRepository>;
