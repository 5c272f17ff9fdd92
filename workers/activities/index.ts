import type { Connection } from 'mongoose';
import type { PiiCipher } from '../../common/crypto/pii';
import type { PartnerDirectory } from '../../common/partners/directory';
import type { Product } from '../../domain/product';
import { createCanaryRepository } from '../../db/repositories/canaries';
import { createClaimRepository } from '../../db/repositories/claims';
import { createExposureRepository } from '../../db/repositories/exposure';
import { createFeedCursorRepository } from '../../db/repositories/feed-cursors';
import { createHouseholdRepository } from '../../db/repositories/households';
import { createBankAdapter } from '../adapters/bank';
import { createHttpDataSources, type DataSources } from '../adapters/data-sources';
import { createInsurerAdapter } from '../adapters/insurer';
import { createReferralRepository } from '../../db/repositories/referrals';
import type { EarlyWarningRules } from '../../domain/early-warning';
import { SIXIAN_WARNING_RULES } from '../../domain/warnings';
import { createCanaryActivities } from './canary';
import { createClaimActivities } from './claims';
import { createEarlyWarningActivities } from './early-warning';
import { createFeedActivities } from './feeds';
import { createMonitoringActivities } from './monitoring';
import { createSandboxActivities } from './sandbox';
import { createSandboxClaimRepository } from '../../db/repositories/sandbox-claims';

export interface ActivityDeps {
  connection: Connection;
  /** The partners as the registry names them now (re-read by the directory, so a key rotation needs no restart). */
  partners: PartnerDirectory;
  pii: PiiCipher;
  products: readonly Product[];
  /** The early-warning rules per county and year (default: Sixian's shipped ones). */
  warningRules?: readonly EarlyWarningRules[];
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
  warningRules = SIXIAN_WARNING_RULES,
  dataSources,
  partnerTimeoutMs = 10_000,
  now = () => new Date(),
}: ActivityDeps) {
  const claims = createClaimRepository(connection);
  const households = createHouseholdRepository(connection, pii);
  const referrals = createReferralRepository(connection);
  const sources = dataSources ?? createHttpDataSources(partners, partnerTimeoutMs);
  return {
    ...createCanaryActivities({ canaries: createCanaryRepository(connection), now }),
    ...createEarlyWarningActivities({
      claims,
      households,
      referrals,
      rules: warningRules,
    }),
    ...createMonitoringActivities({ households, referrals, dataSources: sources }),
    ...createFeedActivities({
      claims,
      households,
      referrals,
      feedCursors: createFeedCursorRepository(connection),
      dataSources: sources,
      rules: warningRules,
    }),
    ...createSandboxActivities({
      directory: partners,
      sandboxClaims: createSandboxClaimRepository(connection),
      timeoutMs: partnerTimeoutMs,
    }),
    ...createClaimActivities({
      claims,
      households,
      exposure: createExposureRepository(connection),
      products,
      insurer: createInsurerAdapter(partners, partnerTimeoutMs),
      bank: createBankAdapter(partners, partnerTimeoutMs),
      dataSources: sources,
      now,
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
