import type { Connection } from 'mongoose';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { deliveryKey, deliveryModel } from '../models/delivery';

export interface StoredDelivery {
  status: number;
  response: unknown;
}

/** Partner deliveries already answered, one document each under the key (partner, deliveryId). */
export function createDeliveryRepository(connection: Connection) {
  const model = deliveryModel(connection);
  return {
    async find(partner: string, deliveryId: string): Promise<StoredDelivery | null> {
      return model
        .findOne({ _id: deliveryKey(partner, deliveryId) }, { status: 1, response: 1, _id: 0 })
        .lean<StoredDelivery | null>();
    },
    /** Stores the first answer; a concurrent repeat that lost the race keeps the winner's. */
    async remember(partner: string, deliveryId: string, answer: StoredDelivery): Promise<void> {
      try {
        await retryWrite(() => model.create({ _id: deliveryKey(partner, deliveryId), partner, deliveryId, ...answer }));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    },
  };
}
export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
