import type { CanaryRepository } from '../../db/repositories/canaries';

export interface CanaryActivityDeps {
  canaries: CanaryRepository;
  now: () => Date;
}

export function createCanaryActivities({ canaries, now }: CanaryActivityDeps) {
  return {
    async recordCanary({ canaryId }: { canaryId: string }): Promise<{ canaryId: string; status: string }> {
      const record = await canaries.record(canaryId);
      return { canaryId: record.canaryId, status: record.status };
    },
    /** Idempotent: a retried confirmation of an already-confirmed canary reports it as confirmed. */
    async confirmCanary({ canaryId }: { canaryId: string }): Promise<{ confirmed: boolean; firstConfirmation: boolean }> {
      const firstConfirmation = await canaries.confirm(canaryId, now());
      const current = await canaries.find(canaryId);
      return { confirmed: current?.status === 'confirmed', firstConfirmation };
    },
  };
}
