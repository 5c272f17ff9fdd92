import type { Query } from 'mongoose';

/**
 * A single-document lookup with an index hint: with a limit of one, DocumentDB's planner may walk the `_id` index
 * instead (measured at 20,000 claims). Before the index exists (a database whose indexes are still being built) the
 * server refuses the hint: then the lookup runs unhinted.
 */
export async function hinted<T>(lookup: () => Query<T, unknown>, index: Record<string, 1>): Promise<T> {
  try {
    return await lookup().hint(index).exec();
  } catch (error) {
    if (!/hint/i.test(String((error as Error).message))) throw error;
    return lookup().exec();
  }
}
