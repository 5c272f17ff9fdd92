import type { Actor } from '../../workflows/claim/types';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';

/**
 * The one-household plan (一户一方案) after inclusion: village, township or county staff save its measures on the
 * version they read; a save in between is refused (nothing lost), every save is a revision with who and why, and bad
 * input is refused field by field with nothing written.
 */
describe('a household’s assistance contact and one-household plan (帮扶联系人、一户一方案)', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  interface Measure {
    kind: string;
    status: string;
  }
  interface Answer {
    version: number;
    contact: { name: string; phone: string } | null;
    measures: Measure[];
    revisions: { version: number; by: { userId: string }; note?: string; measureCount: number }[];
    fieldErrors: { path: string; message: string }[];
    detail: string;
  }
  const api = async (actor: Actor, path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokenFor(actor)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };
  const cattle = {
    kind: 'industry',
    content: '发放肉牛养殖补贴 3000 元',
    startOn: '2026-12-01',
    endOn: '2027-06-30',
    responsible: '县农业农村局',
    status: 'in_progress',
  };
  const job = { kind: 'public_job', content: '安排村保洁公益岗位', startOn: '2027-01-01', status: 'planned' };

  it('saves the first plan and then a revision; the township reads both, with the contact’s phone masked', async () => {
    const household = await h.newHousehold({ assistanceContact: { name: '王帮扶', phone: '13912345678', unit: '县农业农村局' } });
    const path = `/households/${household.householdId}/assistance`;
    const empty = await api(people.township, path);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ version: 0, measures: [], revisions: [] });
    expect(empty.body.contact?.name).toBe(household.assistanceContact!.name);
    expect(empty.body.contact?.phone).not.toBe(household.assistanceContact!.phone);
    expect(empty.body.contact?.phone.endsWith(household.assistanceContact!.phone.slice(-4))).toBe(true);

    const first = await api(people.filer, path, 'PUT', { version: 0, measures: [cattle], note: '纳入监测后制定' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      version: 1,
      measures: [{ ...cattle, kindLabel: { zh: '产业帮扶' }, statusLabel: { zh: '落实中' } }],
    });
    const second = await api(people.village, path, 'PUT', { version: 1, measures: [{ ...cattle, status: 'done' }, job] });
    expect(second.status).toBe(200);

    const read = await api(people.township, path);
    expect(read.body.version).toBe(2);
    expect(read.body.measures.map((m) => [m.kind, m.status])).toEqual([
      ['industry', 'done'],
      ['public_job', 'planned'],
    ]);
    expect(read.body.revisions.map((r) => [r.version, r.by.userId, r.note ?? null, r.measureCount])).toEqual([
      [2, people.village.userId, null, 2],
      [1, people.filer.userId, '纳入监测后制定', 1],
    ]);
  });

  it('refuses a save on a version someone else has moved past: of two cadres racing, one wins and nothing is lost', async () => {
    const household = await h.newHousehold();
    const path = `/households/${household.householdId}/assistance`;
    expect((await api(people.filer, path, 'PUT', { version: 0, measures: [cattle] })).status).toBe(200);
    const [a, b] = await Promise.all([
      api(people.filer, path, 'PUT', { version: 1, measures: [cattle, job] }),
      api(people.village, path, 'PUT', { version: 1, measures: [] }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(loser.body.detail).toMatch(/刷新/);
    const winner = a.status === 200 ? a : b;
    expect((await api(people.county, path)).body.measures).toEqual(winner.body.measures);
    // two first plans at once: one is created, the other is told to reload
    const fresh = await h.newHousehold();
    const firsts = await Promise.all(
      [people.filer, people.village].map((p) =>
        api(p, `/households/${fresh.householdId}/assistance`, 'PUT', { version: 0, measures: [job] }),
      ),
    );
    expect(firsts.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('refuses bad input field by field and writes nothing; other villages and ops cannot save', async () => {
    const household = await h.newHousehold();
    const path = `/households/${household.householdId}/assistance`;
    const bad = await api(people.filer, path, 'PUT', {
      version: 0,
      measures: [
        { ...cattle, endOn: '2026-01-01' },
        { ...job, kind: 'lottery', content: ' ' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors.map((e) => e.path).sort()).toEqual(['measures.0.endOn', 'measures.1.content', 'measures.1.kind']);
    expect(bad.body.fieldErrors.find((e) => e.path === 'measures.0.endOn')?.message).toBe('结束日期不能早于开始日期');
    expect((await api(people.filer, path)).body.version).toBe(0);

    expect((await api(people.otherVillage, path)).status).toBe(404);
    expect((await api(people.otherVillage, path, 'PUT', { version: 0, measures: [job] })).status).toBe(404);
    expect((await api(people.ops, path, 'PUT', { version: 0, measures: [job] })).status).toBe(403);
    expect((await api(people.filer, '/households/NO-SUCH-HOUSEHOLD/assistance')).status).toBe(404);
    expect((await api(people.filer, path)).body.version).toBe(0);
  });
});
