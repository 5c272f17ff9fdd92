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
        { $set: { divisionCode: household.divisionCode, currentCategory: current.category, data: household } },
        { upsert: true },
      );
    },
    async find(householdId: string): Promise<Household | null> {
      const doc = await model.findOne({ householdId }, { data: 1, _id: 0 }).lean();
      return doc ? (doc.data as Household) : null;
    },
  };
}

export type HouseholdRepository = ReturnType<typeof createHouseholdRepository>;
