import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Partner deliveries already handled, keyed by `_id` = `<partner>:<deliveryId>`: a repeat gets the stored answer back.
 * (`_id` rather than a compound unique index, whose checks on DocumentDB grow with the collection; see claim events.)
 */
export const deliveryKey = (partner: string, deliveryId: string) => `${partner}:${deliveryId}`;

const deliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    partner: { type: String, required: true },
    deliveryId: { type: String, required: true },
    status: { type: Number, required: true },
    response: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'partner_deliveries', minimize: false },
);

export type DeliveryDoc = InferSchemaType<typeof deliverySchema>;
export type DeliveryModel = Model<DeliveryDoc>;
export const deliveryModel = (c: Connection): DeliveryModel =>
  (c.models.Delivery as DeliveryModel | undefined) ?? c.model('Delivery', deliverySchema);
