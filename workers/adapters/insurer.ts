import type { ClaimPackage } from '../../common/partners/messages';
import { insurerOf, type PartnerDirectory } from '../../common/partners/directory';
import { callPartner } from './partner-call';

export function createInsurerAdapter(directory: PartnerDirectory, timeoutMs: number) {
  return {
    /** Delivers a claim package; the delivery id is stable per claim and round, so a resend is recognized. */
    async deliver(pkg: ClaimPackage, deliveryId: string): Promise<void> {
      const insurer = insurerOf(directory.current(), pkg.insurerId);
      if (!insurer) throw new Error(`no insurer ${pkg.insurerId} in the partner registry`);
      await callPartner(`insurer ${pkg.insurerId}`, {
        url: `${insurer.url}/claims`,
        body: pkg,
        secrets: insurer.secrets,
        deliveryId,
        timeoutMs,
      });
    },
  };
}
export type InsurerAdapter = ReturnType<typeof createInsurerAdapter>;
