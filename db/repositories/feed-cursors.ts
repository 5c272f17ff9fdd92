import type { Connection } from 'mongoose';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { feedCursorModel } from '../models/feed-cursor';

export const FEEDS = ['medical-settlements'] as const;
export type Feed = (typeof FEEDS)[number];

export interface FeedPosition {
  feed: Feed;
  countyCode: string;
  /** null: from the feed's beginning. */
  cursor: string | null;
  scanned: number;
  raised: number;
  lastScanAt: string | null;
}

interface Doc {
  _id: string;
  feed: Feed;
  countyCode: string;
  cursor: string | null;
  scanned: number;
  raised: number;
  lastScanAt: Date | null;
}

const positionOf = (d: Doc): FeedPosition => ({
  feed: d.feed,
  countyCode: d.countyCode,
  cursor: d.cursor,
  scanned: d.scanned,
  raised: d.raised,
  lastScanAt: d.lastScanAt?.toISOString() ?? null,
});
const idOf = (feed: Feed, countyCode: string) => `${feed}:${countyCode}`;

/** Where each county is in each government data feed. */
export function createFeedCursorRepository(connection: Connection) {
  const model = feedCursorModel(connection);
  return {
    async position(feed: Feed, countyCode: string): Promise<FeedPosition> {
      const doc = await model.findById(idOf(feed, countyCode)).lean<Doc>();
      return doc ? positionOf(doc) : { feed, countyCode, cursor: null, scanned: 0, raised: 0, lastScanAt: null };
    },

    /** The feeds a county reads (ops). */
    async ofCounty(countyCode: string): Promise<FeedPosition[]> {
      return (await model.find({ countyCode }).sort({ feed: 1 }).lean<Doc[]>()).map(positionOf);
    },

    /**
     * Moves the cursor from `from` to `to` once a page's findings are acted on, adding what the page held. A second
     * call for the same page (a retried activity) finds the cursor moved already and changes nothing.
     */
    async advance(
      feed: Feed,
      countyCode: string,
      page: { from: string | null; to: string | null; scanned: number; raised: number },
      now = new Date(),
    ): Promise<'advanced' | 'already'> {
      const _id = idOf(feed, countyCode);
      const update = { $set: { cursor: page.to, lastScanAt: now }, $inc: { scanned: page.scanned, raised: page.raised } };
      if (page.from === null) {
        try {
          const created = await retryWrite(() =>
            model.updateOne({ _id, cursor: null }, { ...update, $setOnInsert: { feed, countyCode } }, { upsert: true }),
          );
          return created.matchedCount + created.upsertedCount === 1 ? 'advanced' : 'already';
        } catch (error) {
          if (isDuplicateKeyError(error)) return 'already'; // the document exists with the cursor moved
          throw error;
        }
      }
      const moved = await retryWrite(() => model.updateOne({ _id, cursor: page.from }, update));
      return moved.matchedCount === 1 ? 'advanced' : 'already';
    },
  };
}

export type FeedCursorRepository = ReturnType<typeof createFeedCursorRepository>;
