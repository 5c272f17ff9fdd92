import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/** Partner deliveries already handled, keyed by (partner, delivery id): a repeat gets the stored answer back. */
const deliverySchema = new Schema(
  {
    partner: { type: String, required: true },
    deliveryId: { type: String, required: true },
    status: { type: Number, required: true },
    response: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'partner_deliveries', minimize: false },
);
deliverySchema.index({ partner: 1, deliveryId: 1 }, { unique: true });

export type DeliveryDoc = InferSchemaType<typeof deliverySchema>;
export type DeliveryModel = Model<DeliveryDoc>;
export const deliveryModel = (c: Connection): DeliveryModel =>
  (c.models.Delivery as DeliveryModel | undefined) ?? c.model('Delivery', deliverySchema);
