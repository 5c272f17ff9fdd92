/**
 * The exposure ledger on the real database: racing claims never share a cap's remainder, a claim's parts agree across
 * its caps, and random concurrent sequences of holds, payments and releases never break a cap.
 */
import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../db/indexes';
import { exposureModel } from '../../db/models/exposure';
import { createExposureRepository, type ExposureRepository } from '../../db/repositories/exposure';
import type { ExposureCap } from '../../domain/exposure';
import { seededRandom } from '../../domain/random';
import { connectTestDatabase, dropTestDatabase, uniqueName } from '../helpers/servers';

const cap = (householdId: string, kind: ExposureCap['kind'], limitFen: number, memberId?: string): ExposureCap => ({
  bucketId: [householdId, 2026, 'health', kind, ...(memberId ? [memberId] : [])].join('|'),
  householdId,
  ...(memberId ? { memberId } : {}),
  policyYear: 2026,
  line: 'health',
  insurerId: 'cpic-anhui',
  kind,
  limitFen,
  zh: kind,
  en: kind,
});

describe('the exposure ledger on the real database', () => {
  let mongo: Connection;
  let ledger: ExposureRepository;
  beforeAll(async () => {
    mongo = await connectTestDatabase();
    await ensureIndexes(mongo);
    ledger = createExposureRepository(mongo);
  });
  afterAll(() => dropTestDatabase(mongo));

  const bucket = (id: string) => exposureModel(mongo).findById(id).lean();

  test('when 40 claims race for one ¥20,000 cap wanting ¥7,500 each, then exactly the cap is held: 7,500 + 7,500 + 5,000', async () => {
    const household = uniqueName('HH');
    const caps = [cap(household, 'annual_household', 2_000_000)];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => ledger.hold({ claimNo: `C${i}`, caps, wantHeldFen: 750_000, paidFen: 0 })),
    );
    const held = results.map((r) => r.heldFen).sort((a, b) => b - a);
    expect(held.slice(0, 3)).toEqual([750_000, 750_000, 500_000]);
    expect(held.slice(3).every((v) => v === 0)).toBe(true);
    const doc = await bucket(caps[0]!.bucketId);
    expect(doc?.heldFen).toBe(2_000_000);
    expect(doc?.parts.reduce((s, p) => s + p.heldFen, 0)).toBe(2_000_000);
    // every refused or cut claim is told which claims hold the cap
    const cut = results.filter((r) => r.heldFen < 750_000);
    expect(cut).toHaveLength(38);
    for (const r of cut) expect(r.shortfalls[0]?.otherClaims.length).toBeGreaterThanOrEqual(2);
  });

  test('when a claim asks again for what it holds, then nothing is written (the hold is set, not added to)', async () => {
    const household = uniqueName('HH');
    const caps = [cap(household, 'annual_household', 2_000_000)];
    const first = await ledger.hold({ claimNo: 'A', caps, wantHeldFen: 600_000, paidFen: 0 });
    const rev = (await bucket(caps[0]!.bucketId))?.rev;
    const again = await ledger.hold({ claimNo: 'A', caps, wantHeldFen: 600_000, paidFen: 0 });
    expect(again).toEqual(first);
    expect((await bucket(caps[0]!.bucketId))?.rev).toBe(rev);
    expect(await ledger.unpaidHeld('A', caps)).toBe(600_000);
    await ledger.hold({ claimNo: 'A', caps, wantHeldFen: 600_000, paidFen: 250_000 });
    expect(await ledger.unpaidHeld('A', caps)).toBe(350_000);
    expect(await ledger.unpaidHeld('B', caps)).toBe(0);
  });

  test('when the household cap binds before the person cap, then each claim holds the same amount on both', async () => {
    const household = uniqueName('HH');
    const shared = cap(household, 'annual_household', 1_000_000);
    const claims = ['m1', 'm2', 'm3'].map((member, i) => ({
      claimNo: `P${i}`,
      caps: [cap(household, 'annual_person', 800_000, member), shared],
    }));
    const results = await Promise.all(claims.map((c) => ledger.hold({ ...c, wantHeldFen: 700_000, paidFen: 0 })));
    expect(results.reduce((s, r) => s + r.heldFen, 0)).toBe(1_000_000);
    for (const [i, c] of claims.entries()) {
      const person = await bucket(c.caps[0]!.bucketId);
      expect(person?.heldFen).toBe(results[i]!.heldFen);
    }
  });

  test('random concurrent holds, payments and releases never exceed a cap nor pay beyond a hold', async () => {
    const random = seededRandom(20261201);
    const household = uniqueName('HH');
    const shared = cap(household, 'annual_household', 3_000_000);
    const claims = Array.from({ length: 6 }, (_, i) => ({
      claimNo: `R${i}`,
      caps: [cap(household, 'annual_person', 1_500_000, `m${i % 3}`), shared],
      held: 0,
      paid: 0,
    }));
    for (let round = 0; round < 25; round++) {
      // each claim is written by its own workflow only: one operation per claim per round, all claims at once
      await Promise.all(
        claims.map(async (c) => {
          const roll = random();
          if (roll < 0.5) {
            const want = Math.max(c.paid, Math.floor(random() * 1_200_000));
            c.held = (await ledger.hold({ claimNo: c.claimNo, caps: c.caps, wantHeldFen: want, paidFen: c.paid })).heldFen;
          } else if (roll < 0.8) {
            c.paid = Math.min(c.held, c.paid + Math.floor(random() * 400_000));
            c.held = (await ledger.hold({ claimNo: c.claimNo, caps: c.caps, wantHeldFen: c.held, paidFen: c.paid })).heldFen;
          } else {
            c.held = (await ledger.hold({ claimNo: c.claimNo, caps: c.caps, wantHeldFen: c.paid, paidFen: c.paid })).heldFen;
          }
        }),
      );
      const docs = await exposureModel(mongo).find({ householdId: household }).lean();
      for (const doc of docs) {
        const held = doc.parts.reduce((s, p) => s + p.heldFen, 0);
        expect(held).toBeLessThanOrEqual(doc.limitFen);
        expect(doc.heldFen).toBe(held);
        expect(doc.paidFen).toBe(doc.parts.reduce((s, p) => s + p.paidFen, 0));
        for (const part of doc.parts) expect(part.paidFen).toBeLessThanOrEqual(part.heldFen);
      }
      for (const c of claims) {
        const parts = docs.flatMap((d) => d.parts.filter((p) => p.claimNo === c.claimNo));
        for (const part of parts) expect(part).toMatchObject({ heldFen: c.held, paidFen: c.paid });
      }
    }
  });
});
