import type { Logger } from '../common/logger';
import { loadingPartnerDirectory, type PartnerDirectory } from '../common/partners/directory';
import type { PartnerRegistry } from '../common/partners/registry';
import type { PartnerRepository } from './repositories/partners';

/**
 * The partner directory of a running API or worker, over the registry in the database: seeded first from the file
 * (partners the database does not hold yet), then re-read every `refreshMs`. Undefined when neither the file nor the
 * database names any partner.
 */
export async function openPartnerDirectory({
  partners,
  seed,
  refreshMs,
  logger,
}: {
  partners: PartnerRepository;
  seed?: PartnerRegistry;
  refreshMs: number;
  logger?: Logger;
}): Promise<PartnerDirectory | undefined> {
  if (seed) {
    const inserted = await partners.seed(seed);
    if (inserted.length > 0) logger?.info({ partners: inserted }, 'partner registry seeded from PARTNERS_FILE');
  } else if (await partners.isEmpty()) return undefined;
  return loadingPartnerDirectory(() => partners.snapshot(), {
    refreshMs,
    onError: (error) => logger?.warn({ err: error }, 'reading the partner registry failed; keeping the last one'),
  });
}
