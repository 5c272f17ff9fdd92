import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Idempotency-Key records for filing: the first request with a key claims it (unique index), stores the hash of its
 * body and, once done, its response; a repeat with the same body gets that response, with another body a 422.
 */
const idempotencySchema = new Schema(
  {
    scope: { type: String, required: true },
    key: { type: String, required: true },
    requestHash: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number },
    response: { type: Schema.Types.Mixed },
  },
  { timestamps: true, collection: 'idempotency_keys', minimize: false },
);
idempotencySchema.index({ scope: 1, key: 1 }, { unique: true });

export type IdempotencyDoc = InferSchemaType<typeof idempotencySchema>;
export type IdempotencyModel = Model<IdempotencyDoc>;
export const idempotencyModel = (c: Connection): IdempotencyModel =>
  (c.models.Idempotency as IdempotencyModel | undefined) ?? c.model('Idempotency', idempotencySchema);
