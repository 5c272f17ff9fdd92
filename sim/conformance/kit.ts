/**
 * The conformance kit as a library: starts the kit's receiver, runs one partner's checks against its endpoints and
 * builds the report (checks in their defined order). The CLI and the kit's tests both call this.
 */
import { BANK_CHECKS, runBankChecks } from './bank-checks';
import { INSURER_CHECKS, runInsurerChecks } from './insurer-checks';
import type { KitReceiver } from './receiver';
import { buildReport, type Report } from './report';

export interface KitRun {
  partner: 'insurer' | 'bank';
  /** The partner's base URL. */
  url: string;
  /** The insurer's id (insurers only). */
  partnerId?: string;
  secrets: readonly string[];
  receiver: KitReceiver;
  timeoutMs?: number;
  quietMs?: number;
}

export async function runConformance({
  partner,
  url,
  partnerId,
  secrets,
  receiver,
  timeoutMs,
  quietMs,
}: KitRun): Promise<Report> {
  const startedAt = new Date();
  const waits = { ...(quietMs !== undefined ? { quietMs } : {}) };
  const checks =
    partner === 'insurer'
      ? await runInsurerChecks({
          url,
          insurerId: partnerId ?? '',
          secrets,
          receiver,
          ...waits,
          ...(timeoutMs !== undefined ? { decisionTimeoutMs: timeoutMs } : {}),
        })
      : await runBankChecks({
          url,
          secrets,
          receiver,
          ...waits,
          ...(timeoutMs !== undefined ? { resultTimeoutMs: timeoutMs } : {}),
        });
  const order = Object.values(partner === 'insurer' ? INSURER_CHECKS : BANK_CHECKS).map((c) => c.id);
  checks.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return buildReport(partner, partner === 'insurer' ? `${partnerId ?? ''} ${url}` : url, startedAt, checks);
}
