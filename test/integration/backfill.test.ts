import type { Connection } from 'mongoose';
import { backfillClaimReadModel } from '../../db/backfill';
import { ensureIndexes } from '../../db/indexes';
import { claimModel } from '../../db/models/claim';
import { connectTestDatabase, dropTestDatabase, testDatabaseUri } from '../helpers/servers';

describe('read-model backfill after an upgrade', () => {
  let mongo: Connection;
  beforeAll(async () => {
    mongo = await connectTestDatabase(testDatabaseUri());
    await ensureIndexes(mongo);
  });
  afterAll(() => dropTestDatabase(mongo));

  test('claims written before stageSince/filedOn existed get them, once, and newer writes are left alone', async () => {
    const claims = claimModel(mongo).collection;
    const base = {
      stage: 'village_review',
      status: 'open',
      line: 'crop',
      householdId: 'HH-1',
      memberId: 'm1',
      divisionCode: '341324105003',
      townshipCode: '341324105',
      countyCode: '341324',
      eventDate: '2026-07-01',
      reportDate: '2026-07-02',
      eventKey: 'e',
      overlapKey: 'o',
      benefitKey: 'crop',
      version: 3,
    };
    await claims.insertMany([
      // filed 2026-11-28 23:30 UTC = 2026-11-29 07:30 in Shanghai
      {
        ...base,
        claimNo: 'FP-20261129-341324-000001',
        filedAt: '2026-11-28T23:30:00.000Z',
        lastTransitionAt: '2026-11-29T01:00:00.000Z',
      },
      {
        ...base,
        claimNo: 'FP-20261129-341324-000002',
        filedAt: '2026-11-29T00:00:00.000Z',
        lastTransitionAt: '2026-11-29T02:00:00.000Z',
        stageSince: '2026-11-29T01:30:00.000Z',
        filedOn: '2026-11-29',
      },
    ]);
    expect(await backfillClaimReadModel(mongo)).toBe(1);
    expect(await claims.findOne({ claimNo: 'FP-20261129-341324-000001' })).toMatchObject({
      stageSince: '2026-11-29T01:00:00.000Z',
      filedOn: '2026-11-29',
    });
    expect(await claims.findOne({ claimNo: 'FP-20261129-341324-000002' })).toMatchObject({
      stageSince: '2026-11-29T01:30:00.000Z',
    });
    expect(await backfillClaimReadModel(mongo)).toBe(0);
  });
});
