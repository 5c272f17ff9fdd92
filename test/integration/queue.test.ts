import { pollUntil } from '../../common/poll';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Json } from '../helpers/json';
import type { Actor } from '../../workflows/claim/types';

/** 待我处理: each person sees what waits for their role in their jurisdiction, and only that. */
describe('my queue', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  async function queue(actor: Actor): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${h.apiUrl}/queue?limit=200`, { headers: { authorization: `Bearer ${await tokenFor(actor)}` } });
    return { status: res.status, body: await res.json() };
  }
  const holds = (body: Json, claimNo: string) => (body.items as { claimNo: string }[]).some((i) => i.claimNo === claimNo);

  it('a claim waits in the village’s queue, then in the township’s, never in another village’s', async () => {
    const { householdId } = await h.newHousehold();
    const { claimNo } = await h.service.file(aPropertyClaim(householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');

    const village = await pollUntil('the claim in the village queue', async () => {
      const q = await queue(people.village);
      return holds(q.body, claimNo) ? q : undefined;
    });
    expect(village.status).toBe(200);
    const item = (village.body.items as Json[]).find((i) => i.claimNo === claimNo);
    expect(item).toMatchObject({ stage: 'village_review', responsible: 'village', links: { claim: `/claims/${claimNo}` } });
    expect(item.clock).toBeDefined();
    const stage = (village.body.stages as { stage: string; count: number; late: number }[]).find(
      (s) => s.stage === 'village_review',
    );
    expect(stage!.count).toBeGreaterThanOrEqual(1);
    expect(holds((await queue(people.otherVillage)).body, claimNo)).toBe(false);
    expect(holds((await queue(people.township)).body, claimNo)).toBe(false);

    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review');
    await pollUntil('the claim to move to the township queue', async () => {
      const [t, v] = await Promise.all([queue(people.township), queue(people.village)]);
      return holds(t.body, claimNo) && !holds(v.body, claimNo) ? true : undefined;
    });
    expect(holds((await queue(people.county)).body, claimNo)).toBe(false);
  });

  it('a role without a queue is refused, and a bad limit is a field error', async () => {
    expect((await queue(people.ops)).status).toBe(403);
    const bad = await fetch(`${h.apiUrl}/queue?limit=0`, {
      headers: { authorization: `Bearer ${await tokenFor(people.village)}` },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).fieldErrors[0].path).toBe('limit');
  });
});
