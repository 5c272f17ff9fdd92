import type { ClaimPackage } from '../../common/partners/messages';
import type { PartnerRegistry } from '../../common/partners/registry';
import { callPartner } from './partner-call';

export function createInsurerAdapter(registry: PartnerRegistry, timeoutMs: number) {
  return {
    /** Delivers a claim package; the delivery id is stable per claim and round, so a resend is recognized. */
    async deliver(pkg: ClaimPackage, deliveryId: string): Promise<void> {
      const insurer = registry.insurers.find((i) => i.id === pkg.insurerId);
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
