import type { ClaimDocument } from '../../domain/claim';
import fc from 'fast-check';
import { aClaim, aHousehold } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import { uniqueName } from '../helpers/servers';
import type { Actor } from '../../workflows/claim/types';

const ACTORS: Record<string, Actor> = {
  villageOwn: { userId: 'mx-village', role: 'village', jurisdiction: '341324105003' },
  villageOther: { userId: 'mx-village-x', role: 'village', jurisdiction: '341324106001' },
  townshipOwn: { userId: 'mx-township', role: 'township', jurisdiction: '341324105' },
  townshipOther: { userId: 'mx-township-x', role: 'township', jurisdiction: '341324106' },
  county: { userId: 'mx-county', role: 'county', jurisdiction: '341324' },
  ops: { userId: 'mx-ops', role: 'ops', jurisdiction: '341324' },
  countyOther: { userId: 'mx-county-x', role: 'county', jurisdiction: '341322' },
};
type Who = keyof typeof ACTORS;
const WHO = Object.keys(ACTORS);

/** Expected status per caller, in the order of WHO. */
const row = (...statuses: number[]) => Object.fromEntries(WHO.map((w, i) => [w, statuses[i]])) as Record<Who, number>;

describe('authorization matrix: every role × own/other jurisdiction × every staff endpoint', () => {
  let h: ClaimHarness;
  let householdId: string;
  let claimNo: string;
  const household = () => aHousehold({ householdId });
  /** A property claim of the household; each event date has loss documents of its own (never a duplicate). */
  const claimBody = (dates: { eventDate: string; reportDate: string } = { eventDate: '2026-07-01', reportDate: '2026-07-02' }) =>
    aClaim({ householdId, line: 'property', ...dates, loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000 } });

  beforeAll(async () => {
    h = await startClaimHarness();
    householdId = uniqueName('HH');
    await h.households.save(household());
    claimNo = (await h.service.file(claimBody(), people.filer)).claimNo;
    await h.waitFor(claimNo, 'village_review');
  });
  afterAll(() => h.stop());

  async function call(who: Who, method: string, path: string, body?: unknown) {
    await h.storeFiles((body as { documents?: ClaimDocument[] } | undefined)?.documents); // uploaded before they are listed
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokenFor(ACTORS[who]!)}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    await res.arrayBuffer();
    return res.status;
  }

  const cases: [string, string, () => string, (() => unknown) | undefined, Record<Who, number>][] = [
    //                                                                     vOwn vOth tOwn tOth cnty ops  cOth
    ['read a household', 'GET', () => `/households/${householdId}`, undefined, row(200, 404, 200, 404, 200, 200, 404)],
    ['search households', 'GET', () => '/households?division=341324105003', undefined, row(200, 403, 200, 403, 200, 200, 403)],
    ['update a household', 'PUT', () => `/households/${householdId}`, () => household(), row(200, 403, 200, 403, 200, 403, 403)],
    ['preview a payout', 'POST', () => '/claims/preview', () => claimBody(), row(200, 200, 200, 200, 200, 403, 200)],
    [
      'list claims of the village',
      'GET',
      () => '/claims?division=341324105003',
      undefined,
      row(200, 403, 200, 403, 200, 200, 403),
    ],
    ['read a claim', 'GET', () => `/claims/${claimNo}`, undefined, row(200, 404, 200, 404, 200, 200, 404)],
    [
      'file a claim',
      'POST',
      () => '/claims',
      () => claimBody({ eventDate: '2026-07-03', reportDate: '2026-07-04' }),
      row(202, 422, 202, 422, 202, 403, 422),
    ],
    [
      'appeal a claim that is not rejected',
      'POST',
      () => `/claims/${claimNo}/appeal`,
      () => ({ reason: 'r', documents: [{ name: 'x', kind: 'other', sha256: 'e'.repeat(64) }] }),
      row(409, 404, 409, 404, 409, 403, 404),
    ],
    ['ops summary of the county', 'GET', () => '/ops/summary?division=341324', undefined, row(403, 403, 403, 403, 200, 200, 403)],
    ['ops late list', 'GET', () => '/ops/late', undefined, row(403, 403, 403, 403, 200, 200, 200)],
    ['ops explanation of a claim', 'GET', () => `/ops/claims/${claimNo}`, undefined, row(403, 403, 403, 403, 200, 200, 404)],
    [
      'reassign the pending review',
      'POST',
      () => `/ops/claims/${claimNo}/actions/reassign`,
      () => ({ reason: 'cover', assignee: { userId: uniqueName('deputy') } }),
      row(403, 403, 403, 403, 200, 200, 404),
    ],
  ];

  test.each(cases)('%s', async (_what, method, path, body, expected) => {
    const actual: Record<string, number> = {};
    for (const who of WHO) actual[who] = await call(who, method, path(), body?.());
    expect(actual).toEqual(expected);
  });

  test('take the village review (each caller on a claim of their own)', async () => {
    const actual: Record<string, number> = {};
    for (const who of WHO) {
      const { claimNo: mine } = await h.service.file(
        claimBody({ eventDate: `2026-07-${String(10 + WHO.indexOf(who)).padStart(2, '0')}`, reportDate: '2026-07-25' }),
        people.filer,
      );
      await h.waitFor(mine, 'village_review');
      actual[who] = await call(who, 'POST', `/claims/${mine}/actions/review`, {});
    }
    expect(actual).toEqual(row(200, 404, 403, 404, 403, 403, 404));
  });

  test('an existing claim or household elsewhere answers exactly as a number never issued (nothing to enumerate)', async () => {
    const outsider = ACTORS.villageOther!;
    const answer = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${h.apiUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${await tokenFor(outsider)}`, 'content-type': 'application/json' },
      });
      const body = (await res.json()) as { code: string; detail: string };
      return { status: res.status, code: body.code, detail: body.detail };
    };
    const never = 'FP-20260101-341324-999999';
    const pairs: [string, string, RequestInit?][] = [
      [`/claims/${claimNo}`, `/claims/${never}`],
      [`/claims/${claimNo}/actions/review`, `/claims/${never}/actions/review`, { method: 'POST', body: '{}' }],
      [`/households/${householdId}`, '/households/HH-NEVER-ISSUED'],
    ];
    for (const [existing, missing, init] of pairs) {
      const [a, b] = await Promise.all([answer(existing, init), answer(missing, init)]);
      expect(a.status).toBe(404);
      expect(a).toEqual({ ...b, detail: b.detail.replace(/FP-20260101-341324-999999|HH-NEVER-ISSUED/, existing.split('/')[2]!) });
    }
  });
});

describe('fuzzing: random and hostile bodies never produce a 5xx and never write', () => {
  let h: ClaimHarness;
  let token: string;
  beforeAll(async () => {
    h = await startClaimHarness();
    token = await tokenFor(people.county);
  });
  afterAll(() => h.stop());

  const hostile = fc.oneof(
    fc.anything(),
    fc.dictionary(
      fc.constantFrom('$where', '$ne', '$gt', 'householdId', 'memberId', 'line', 'loss', '__proto__', 'constructor'),
      fc.anything(),
    ),
    fc.record({
      householdId: fc.oneof(fc.string(), fc.object()),
      memberId: fc.anything(),
      line: fc.string(),
      eventDate: fc.string(),
      reportDate: fc.string(),
      loss: fc.object(),
    }),
    fc.string({ maxLength: 2_000 }),
  );
  const endpoints: [string, string][] = [
    ['POST', '/claims'],
    ['POST', '/claims/preview'],
    ['PUT', '/households/HH-fuzz-0001'],
    ['POST', '/claims/FP-20261129-341324-000001/actions/approve'],
    ['POST', '/claims/FP-20261129-341324-000001/actions/object'],
    ['POST', '/claims/FP-20261129-341324-000001/appeal'],
    ['POST', '/ops/claims/FP-20261129-341324-000001/actions/reassign'],
    ['POST', '/partners/bank/payouts'],
  ];

  test('for every endpoint, a few hundred random bodies: no 5xx, nothing stored', async () => {
    const counts = async () => [
      await h.claims.list({ scope: '341324' }, 100).then((p) => p.items.length),
      await h.households.search({ scope: '341324' }, 100).then((p) => p.items.length),
    ];
    const before = await counts();
    for (const [method, path] of endpoints) {
      await fc.assert(
        fc.asyncProperty(hostile, async (body) => {
          const raw = typeof body === 'string' ? body : (JSON.stringify(body) ?? 'null');
          const res = await fetch(`${h.apiUrl}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: raw,
          });
          await res.arrayBuffer();
          expect(res.status).toBeLessThan(500);
        }),
        { numRuns: 60 },
      );
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (query) => {
        const res = await fetch(`${h.apiUrl}/claims?${encodeURI(query)}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
    expect(await counts()).toEqual(before);
  }, 120_000);
});
