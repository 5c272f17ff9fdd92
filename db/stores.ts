import type { Connection } from 'mongoose';
import type { PiiCipher } from '../common/crypto/pii';
import { createActivityFailureRepository } from './repositories/activity-failures';
import { createAssistancePlanRepository } from './repositories/assistance-plans';
import { createClaimStatsRepository } from './repositories/claim-stats';
import { createClaimRepository } from './repositories/claims';
import { createDeliveryRepository } from './repositories/deliveries';
import { createDocumentRepository } from './repositories/documents';
import { createExposureRepository } from './repositories/exposure';
import { createFeedCursorRepository } from './repositories/feed-cursors';
import { createHouseholdRepository } from './repositories/households';
import { createImportRepository } from './repositories/imports';
import { createDisasterRepository } from './repositories/disasters';
import { createIdempotencyRepository } from './repositories/idempotency';
import { createPartnerRepository } from './repositories/partners';
import { createReferralRepository } from './repositories/referrals';
import { createSandboxClaimRepository } from './repositories/sandbox-claims';
import { createUserRepository } from './repositories/users';

/** Every repository the API needs, over one connection (households encrypt personal numbers with `pii`). */
export function createStores(connection: Connection, pii: PiiCipher) {
  return {
    claims: createClaimRepository(connection),
    claimStats: createClaimStatsRepository(connection),
    activityFailures: createActivityFailureRepository(connection),
    assistancePlans: createAssistancePlanRepository(connection),
    households: createHouseholdRepository(connection, pii),
    deliveries: createDeliveryRepository(connection),
    documents: createDocumentRepository(connection),
    imports: createImportRepository(connection),
    disasters: createDisasterRepository(connection),
    exposure: createExposureRepository(connection),
    feedCursors: createFeedCursorRepository(connection),
    idempotency: createIdempotencyRepository(connection),
    partners: createPartnerRepository(connection, pii),
    referrals: createReferralRepository(connection),
    sandboxClaims: createSandboxClaimRepository(connection),
    users: createUserRepository(connection),
  };
}

export type Stores = ReturnType<typeof createStores>;
