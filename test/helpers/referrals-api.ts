import { pollUntil } from '../../common/poll';
import type { Actor } from '../../workflows/claim/types';
import type { MonitoringState } from '../../workflows/monitoring/machine';
import { people, tokenFor, type ClaimHarness } from './claim-harness';

/** The referral API as staff call it (GET, or POST with a JSON body), and a wait for a procedure to reach a stage. */
export function referralsApi(h: () => Pick<ClaimHarness, 'apiUrl'>) {
  const api = async (actor: Actor, path: string, body?: unknown) => {
    const res = await fetch(`${h().apiUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${await tokenFor(actor)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & Partial<MonitoringState> };
  };
  const procedure = (referralId: string, stage: MonitoringState['stage']) =>
    pollUntil(
      `referral ${referralId} at ${stage}`,
      async () => {
        const { body } = await api(people.county, `/referrals/${referralId}`);
        const state = body.procedure as MonitoringState | null;
        return state?.stage === stage ? state : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  return { api, procedure };
}
