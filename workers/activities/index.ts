import type { Connection } from 'mongoose';
import type { PiiCipher } from '../../common/crypto/pii';
import type { PartnerRegistry } from '../../common/partners/registry';
import type { Product } from '../../domain/product';
import { createCanaryRepository } from '../../db/repositories/canaries';
import { createClaimRepository } from '../../db/repositories/claims';
import { createExposureRepository } from '../../db/repositories/exposure';
import { createHouseholdRepository } from '../../db/repositories/households';
import { createBankAdapter } from '../adapters/bank';
import { createHttpDataSources, type DataSources } from '../adapters/data-sources';
import { createInsurerAdapter } from '../adapters/insurer';
import { createCanaryActivities } from './canary';
import { createClaimActivities } from './claims';

export interface ActivityDeps {
  connection: Connection;
  partners: PartnerRegistry;
  pii: PiiCipher;
  products: readonly Product[];
  /** Defaults to the HTTP data service named in the partner registry. */
  dataSources?: DataSources;
  partnerTimeoutMs?: number;
  now?: () => Date;
}

/** All activities, built from their dependencies. Workflows import the *type* of this, never the values. */
export function createActivities({
  connection,
  partners,
  pii,
  products,
  dataSources,
  partnerTimeoutMs = 10_000,
  now = () => new Date(),
}: ActivityDeps) {
  return {
    ...createCanaryActivities({ canaries: createCanaryRepository(connection), now }),
    ...createClaimActivities({
      claims: createClaimRepository(connection),
      households: createHouseholdRepository(connection, pii),
      exposure: createExposureRepository(connection),
      products,
      insurer: createInsurerAdapter(partners, partnerTimeoutMs),
      bank: createBankAdapter(partners, partnerTimeoutMs),
      dataSources: dataSources ?? createHttpDataSources(partners, partnerTimeoutMs),
      now,
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
