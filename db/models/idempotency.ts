import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Idempotency-Key records for filing: the first request with a key claims it (its `_id` is `<scope>:<key>`), stores
 * the hash of its body, the claim number it was given and, once done, its response; a repeat with the same body gets
 * that response (or, when the first request died midway, takes the filing over and finishes it), with another body a 422. (`_id` rather than a compound unique index, whose checks on DocumentDB grow with the collection.)
 */
export const idempotencyId = (scope: string, key: string) => `${scope}:${key}`;

const idempotencySchema = new Schema(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    key: { type: String, required: true },
    requestHash: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    /** Until when the request that holds the key is presumed alive; after that a retry takes the filing over. */
    leaseUntil: { type: Date },
    /** The claim number the filing was given, as soon as it has one: a retry after a crash resumes that claim. */
    claimNo: { type: String },
    status: { type: Number },
    response: { type: Schema.Types.Mixed },
  },
  { timestamps: true, collection: 'idempotency_keys', minimize: false },
);

export type IdempotencyDoc = InferSchemaType<typeof idempotencySchema>;
export type IdempotencyModel = Model<IdempotencyDoc>;
export const idempotencyModel = (c: Connection): IdempotencyModel =>
  (c.models.Idempotency as IdempotencyModel | undefined) ?? c.model('Idempotency', idempotencySchema);
