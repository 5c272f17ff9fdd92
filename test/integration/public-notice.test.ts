import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pollUntil } from '../../common/poll';
import { aClaim, aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Json } from '../helpers/json';
import type { Actor } from '../../workflows/claim/types';

const PDFTOTEXT = '/usr/bin/pdftotext';
const VILLAGE = '341324105003';

/** 公示名单: what a village pins up while claims are under notice, as data and as an A4 PDF, with nothing personal on it. */
describe('the printable public notice', () => {
  let h: ClaimHarness;
  let fire: string;
  let health: string;
  let household: Awaited<ReturnType<ClaimHarness['newHousehold']>>;
  let other: Awaited<ReturnType<ClaimHarness['newHousehold']>>;
  beforeAll(async () => {
    if (!existsSync(PDFTOTEXT)) throw new Error(`No ${PDFTOTEXT}: install Debian's poppler-utils (npm test does, as root)`);
    h = await startClaimHarness();
    const noticing = h.serviceWith({ noticeMs: 300_000 });
    household = await h.newHousehold();
    other = await h.newHousehold();
    fire = (await noticing.file(aPropertyClaim(household.householdId), people.filer)).claimNo;
    health = (await noticing.file(aClaim({ householdId: other.householdId, memberId: 'm2' }), people.filer)).claimNo;
    for (const claimNo of [fire, health]) {
      await h.waitFor(claimNo, 'village_review');
      await noticing.act(claimNo, { action: 'review', actor: people.village });
      await h.waitFor(claimNo, 'public_notice');
      // the list reads the read model, which the workflow writes as the notice starts
      await pollUntil('the read model in public notice', async () => ((await h.claims.find(claimNo))?.notice ? true : undefined));
    }
  }, 90_000);
  afterAll(() => h.stop());

  async function get(actor: Actor, path: string) {
    const res = await fetch(`${h.apiUrl}${path}`, { headers: { authorization: `Bearer ${await tokenFor(actor)}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  }
  const json = (bytes: Buffer): Json => JSON.parse(bytes.toString('utf8'));

  it('lists the village’s claims under notice with masked names, relations, plain events, amounts and how to object', async () => {
    const answer = await get(people.township, `/notices/${VILLAGE}`);
    expect(answer.status).toBe(200);
    const notice = json(answer.bytes);
    expect(notice).toMatchObject({
      village: { code: VILLAGE },
      issuer: { zh: expect.stringContaining('泗县') },
      objectionLine: '0557-7021234',
      villageContact: { zh: expect.stringContaining('村民委员会') },
    });
    const entries: Json[] = (notice.rounds as { entries: Json[] }[]).flatMap((r): Json[] => r.entries);
    const fireEntry = entries.find((e) => e.claimNo === fire);
    expect(fireEntry).toMatchObject({
      name: '张*国',
      relation: { zh: '户主' },
      line: { zh: '家庭财产' },
      event: { zh: '2026-07-01 因火灾造成家庭财产损失' },
      proposedFen: 750_000,
    });
    // a health claim says only that it is one: no diagnosis, no costs, no hospital
    expect(entries.find((e) => e.claimNo === health)).toMatchObject({
      name: '李*英',
      relation: { zh: '配偶' },
      event: { zh: '2026-07-10 医疗费用救助' },
    });
    expect(JSON.stringify(notice)).not.toMatch(/\d{15,}|1[3-9]\d{9}/);
    // another village, or a township elsewhere: no such village for them
    expect((await get(people.otherVillage, `/notices/${VILLAGE}`)).status).toBe(404);
    expect((await get({ ...people.township, jurisdiction: '341324106' }, `/notices/${VILLAGE}`)).status).toBe(404);
    expect((await get(people.ops, `/notices/${VILLAGE}`)).status).toBe(403);
    expect((await get(people.township, `/notices/34132410500`)).status).toBe(400);
  });

  it('prints as an A4 PDF in Chinese whose text holds no ID, card or phone number, no full name and no health detail', async () => {
    const answer = await get(people.filer, `/notices/${VILLAGE}/pdf`);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/pdf');
    expect(answer.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync(PDFTOTEXT, ['-layout', '-', '-'], { input: answer.bytes }).toString('utf8');
    const sizes = execFileSync('/usr/bin/pdfinfo', ['-'], { input: answer.bytes }).toString('utf8');
    expect(sizes).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    for (const expected of [
      '防贫保理赔公示名单',
      '张*国',
      '李*英',
      '户主',
      '配偶',
      '¥7,500.00',
      '0557-7021234',
      '村民委员会',
      '发布单位',
    ])
      expect(text).toContain(expected);
    const personal = [household, other].flatMap((hh) => [
      ...hh.members.flatMap((m) => [m.name, m.residentId]),
      hh.payoutAccount.cardNumber,
      hh.payoutAccount.holderResidentId,
    ]);
    for (const value of personal) expect(text).not.toContain(value);
    expect(text).not.toMatch(/\d{15,}|1[3-9]\d{9}/);
    for (const healthDetail of ['住院', '出院', '医保', '诊断', '¥60,000']) expect(text).not.toContain(healthDetail);
  });

  it('links an objection raised during the notice to the notice round', async () => {
    await h.service.act(fire, { action: 'object', actor: people.village, objectorName: '王大明', reason: '损失金额偏高' });
    const state = await h.waitFor(fire, 'township_review');
    expect(state.objections).toEqual([expect.objectContaining({ objectorName: '王大明', noticeRound: state.notice!.round })]);
    // the notice no longer lists it (once the read model has the move)
    await pollUntil('the claim off the notice', async () => {
      const notice = json((await get(people.township, `/notices/${VILLAGE}`)).bytes);
      const listed = (notice.rounds as { entries: { claimNo: string }[] }[]).some((r) =>
        r.entries.some((e) => e.claimNo === fire),
      );
      return listed ? undefined : true;
    });
  });
});
