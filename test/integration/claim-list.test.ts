import type { Connection } from '../../db/connection';
import { ensureIndexes } from '../../db/indexes';
import { claimModel } from '../../db/models/claim';
import { createClaimRepository, type ClaimListFilter } from '../../db/repositories/claims';
import { connectTestDatabase, dropTestDatabase } from '../helpers/servers';

const DAY = 86_400_000;

/**
 * Lists look for their page in a widening window of recent filings: paging through claims spread over years, dense
 * and sparse, gives every matching claim exactly once, newest first, whatever the window sizes were.
 */
describe('claim lists over years of filings', () => {
  let mongo: Connection;
  const filedAts: string[] = [];

  beforeAll(async () => {
    mongo = await connectTestDatabase();
    await ensureIndexes(mongo);
    // dense lately (every 2 hours for 10 days), sparse before (one a week for three and a half years), and some
    // claims a year in the future of the API's clock
    const now = Date.now();
    for (let i = 0; i < 120; i++) filedAts.push(new Date(now - i * 2 * 3_600_000).toISOString());
    for (let w = 2; w < 180; w++) filedAts.push(new Date(now - w * 7 * DAY).toISOString());
    filedAts.push(new Date(now + 365 * DAY).toISOString());
    await claimModel(mongo).collection.insertMany(
      filedAts.map((filedAt, i) => ({
        claimNo: `FP-20260101-341324-${String(i + 1).padStart(6, '0')}`,
        countyCode: '341324',
        townshipCode: i % 3 ? '341324105' : '341324106',
        divisionCode: i % 3 ? '341324105003' : '341324106001',
        stage: i % 10 === 0 ? 'closed' : 'village_review',
        status: 'open',
        line: 'property',
        filedAt,
      })),
    );
  });
  afterAll(() => dropTestDatabase(mongo));

  async function pageThrough(filter: ClaimListFilter, limit: number): Promise<string[]> {
    const repo = createClaimRepository(mongo);
    const seen: string[] = [];
    let cursor: { filedAt: string; claimNo: string } | undefined;
    for (let pages = 0; pages < 1_000; pages++) {
      const page = await repo.list(filter, limit, cursor);
      seen.push(...page.items.map((c) => c.filedAt));
      if (!page.nextCursor) return seen;
      const last = page.items.at(-1)!;
      cursor = { filedAt: last.filedAt, claimNo: last.claimNo };
    }
    throw new Error('did not reach the last page');
  }

  const expected = (keep: (i: number) => boolean) => filedAts.filter((_, i) => keep(i)).sort((a, b) => b.localeCompare(a));

  test('when a county pages through everything, then each claim comes once, newest first', async () => {
    expect(await pageThrough({ scope: '341324' }, 7)).toEqual(expected(() => true));
  });

  test('when a rare filter pages through a township, then the windows widen until every match is found', async () => {
    const rare = (i: number) => i % 10 === 0 && i % 3 === 0;
    expect(await pageThrough({ scope: '341324106', stage: 'closed' }, 5)).toEqual(expected(rare));
  });

  test('when a filter matches nothing, then the list is empty', async () => {
    expect(await pageThrough({ scope: '341324', stage: 'payout' }, 20)).toEqual([]);
  });
});
