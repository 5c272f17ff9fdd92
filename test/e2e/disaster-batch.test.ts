import { inBatches } from '../helpers/batches';
import { pollUntil } from '../../common/poll';
import { addDays, shanghaiDateOf } from '../../domain/dates';
import type { DisasterEvent } from '../../domain/disaster';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { documentsFor } from '../../domain/synthetic';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Actor } from '../../workflows/claim/types';

const HOUSEHOLDS = 200;
const VILLAGE = '341324105003';

/** A flood over a village: 200 households' losses entered, filed as one batch, each claim driven to payout. */
describe('a disaster batch, end to end', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness({ imports: { sweepMs: 500 } });
  }, 60_000);
  afterAll(() => h.stop());

  async function call<T>(actor: Actor, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await tokenFor(actor)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  it(`files ${HOUSEHOLDS} households' losses as one batch and every claim is paid once, within its cap`, async () => {
    const event = await call<DisasterEvent>(people.county, 'POST', '/disasters', {
      type: 'flood',
      name: '草沟镇暴雨内涝（批量）',
      eventDate: addDays(shanghaiDateOf(new Date()), -1),
      villages: [VILLAGE],
      lines: ['property'],
    });
    const households = [];
    for (let i = 0; i < HOUSEHOLDS; i++) households.push(await h.newHousehold());
    const entries = [];
    for (const [i, x] of households.entries()) {
      const documents = documentsFor('property', `e2e-flood-${x.householdId}`, SIXIAN_PRODUCTS);
      await h.storeFiles(documents);
      entries.push({ line: 'property', householdId: x.householdId, assessedLossFen: 200_000 + (i % 50) * 10_000, documents });
    }
    const entered = await call<{ counts: Record<string, number> }>(people.filer, 'POST', `/disasters/${event.eventId}/losses`, {
      entries,
    });
    expect(entered.counts).toEqual({ entered: HOUSEHOLDS, replaced: 0, settled: 0, refused: 0 });

    const started = Date.now();
    const job = await call<{ id: string }>(people.filer, 'POST', `/disasters/${event.eventId}/file`);
    const done = await pollUntil(
      'the batch filed',
      async () => {
        const now = await call<{ status: string; counts: Record<string, number> }>(people.filer, 'GET', `/imports/${job.id}`);
        return now.status === 'done' ? now : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 500 },
    );
    console.log(`${HOUSEHOLDS} disaster claims filed in ${Date.now() - started} ms`);
    expect(done.counts).toEqual({ filed: HOUSEHOLDS, refused: 0 });

    const progress = await call<{ entries: { claimNo: string }[] }>(people.filer, 'GET', `/disasters/${event.eventId}`);
    const claimNos = progress.entries.map((e) => e.claimNo);
    expect(new Set(claimNos).size).toBe(HOUSEHOLDS);
    await inBatches(claimNos, 10, async (claimNo) => {
      await h.waitFor(claimNo, 'village_review', undefined, 120_000);
      await h.service.act(claimNo, { action: 'review', actor: people.village });
      await h.waitFor(claimNo, 'township_review', undefined, 120_000);
      await h.service.act(claimNo, { action: 'approve', actor: people.township });
      await h.service.act(claimNo, { action: 'approve', actor: people.county });
    });
    const paid = await pollUntil(
      'every claim of the event paid',
      async () => {
        const now = await call<{ counts: Record<string, number> }>(people.county, 'GET', `/disasters/${event.eventId}`);
        return now.counts.paid === HOUSEHOLDS ? now : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 1_000 },
    );
    expect(paid.counts).toEqual({ waiting: 0, filed: 0, held: 0, rejected: 0, paid: HOUSEHOLDS });
    // paid once each, and never above what the calculator proposed
    for (const claimNo of claimNos) {
      const claim = (await h.claims.find(claimNo))!;
      expect(claim.installments.filter((i) => i.status === 'confirmed')).toHaveLength(1);
      expect(claim.paidFen).toBe(claim.approvedFen);
      expect(claim.paidFen).toBeLessThanOrEqual(claim.proposedFen!);
    }
  }, 900_000);
});
