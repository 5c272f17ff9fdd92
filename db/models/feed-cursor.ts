import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * How far a county has read a government data feed (today the medical-insurance bureau's settlements): the bureau's
 * cursor after the last page whose findings were acted on, and what the scans found. `_id` is `<feed>:<county>`.
 * The cursor only moves from the value a scan started at, so a scan retried after a crash reads the same page again
 * (its findings are keyed: recorded once) and never skips one.
 */
const feedCursorSchema = new Schema(
  {
    _id: { type: String, required: true },
    feed: { type: String, required: true },
    countyCode: { type: String, required: true },
    cursor: { type: String, default: null },
    scanned: { type: Number, default: 0 },
    raised: { type: Number, default: 0 },
    lastScanAt: { type: Date, default: null },
  },
  { collection: 'feed_cursors', minimize: false, versionKey: false },
);
feedCursorSchema.index({ countyCode: 1, feed: 1 });

export type FeedCursorDoc = InferSchemaType<typeof feedCursorSchema>;
export type FeedCursorModel = Model<FeedCursorDoc>;
export const feedCursorModel = (c: Connection): FeedCursorModel =>
  (c.models.FeedCursor as FeedCursorModel | undefined) ?? c.model('FeedCursor', feedCursorSchema);
