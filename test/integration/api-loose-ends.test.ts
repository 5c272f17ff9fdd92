/**
 * Loose ends a hostile run found in the API: closed claims, token lifetimes, personal numbers in free text, corrupt
 * compressed bodies and payees' names in lists.
 */
import { gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { postSigned } from '../../common/partners/client';
import { pollUntil } from '../../common/poll';
import { maskSensitiveText, maskUrl } from '../../domain/masking';
import { claimSummaryView } from '../../api/views/claims';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, TEST_AUTH, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { ClaimProjection } from '../../workflows/claim/projection';

describe('API loose ends', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json() };
  }

  test('when staff act on a closed claim, then 409 with its stage; partners get duplicate or stale, never a 404', async () => {
    const claimNo = await h.approvedByCounty();
    const paid = await h.waitFor(claimNo, 'closed');
    await pollUntil('the workflow to complete', async () =>
      (await h.client.workflow.getHandle(`claim-${claimNo}`).describe()).status.name === 'COMPLETED' ? true : undefined,
    );

    const review = await call(await tokenFor(people.village), 'POST', `/claims/${claimNo}/actions/review`, {});
    expect(review).toMatchObject({ status: 409, body: { code: 'CONFLICT', stage: 'closed', status: 'paid' } });
    const outsider = await call(await tokenFor(people.otherVillage), 'POST', `/claims/${claimNo}/actions/review`, {});
    expect(outsider.status).toBe(404); // as a claim that does not exist

    const sent = h.insurerSim().state.decisions.find((d) => d.decision.claimNo === claimNo)!.decision;
    const decisions = `${h.apiUrl}/partners/insurers/picc-suzhou/decisions`;
    const insurer = h.partners.insurers.find((i) => i.id === 'picc-suzhou')!.secrets;
    expect(await postSigned({ url: decisions, secrets: insurer, body: sent })).toMatchObject({
      status: 200,
      body: { outcome: 'duplicate', stage: 'closed' },
    });
    expect(
      await postSigned({ url: decisions, secrets: insurer, body: { ...sent, decisionId: `late-${claimNo}` } }),
    ).toMatchObject({
      status: 200,
      body: { outcome: 'stale', stage: 'closed' },
    });
    const result = {
      type: 'payout_result',
      idempotencyKey: paid.installments[0]!.idempotencyKey,
      claimNo,
      bankRef: paid.installments[0]!.bankRef,
      status: 'confirmed',
      amountFen: 750_000,
      settledAt: new Date().toISOString(),
    };
    const payouts = `${h.apiUrl}/partners/bank/payouts`;
    expect(await postSigned({ url: payouts, secrets: h.partners.bank.secrets, body: result })).toMatchObject({
      status: 200,
      body: { outcome: 'duplicate', stage: 'closed' },
    });
    expect(
      await postSigned({ url: payouts, secrets: h.partners.bank.secrets, body: { ...result, idempotencyKey: `${claimNo}:9:9` } }),
    ).toMatchObject({ status: 200, body: { outcome: 'stale', stage: 'closed' } });
  });

  test('when a token has no expiry or lives for a century, then 401', async () => {
    const sign = (build: (jwt: SignJWT) => SignJWT) =>
      build(
        new SignJWT({ role: 'county', jurisdiction: '341324' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('county-9')
          .setIssuer(TEST_AUTH.issuer)
          .setAudience(TEST_AUTH.audience)
          .setIssuedAt(),
      ).sign(new TextEncoder().encode(TEST_AUTH.secret));
    const forever = await sign((j) => j);
    const century = await sign((j) => j.setExpirationTime('100y'));
    const fine = await sign((j) => j.setExpirationTime('5m'));
    expect((await call(forever, 'GET', '/claims')).status).toBe(401);
    expect(await call(century, 'GET', '/claims')).toMatchObject({
      status: 401,
      body: { detail: expect.stringContaining('有效期超过') },
    });
    expect((await call(fine, 'GET', '/claims')).status).toBe(200);
  });

  test('when a reason carries a resident ID or a card number, then it is stored and shown masked', async () => {
    const household = await h.newHousehold();
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    const id = household.members[0]!.residentId;
    const card = household.payoutAccount.cardNumber;
    const returned = await call(await tokenFor(people.village), 'POST', `/claims/${claimNo}/actions/return`, {
      reason: `身份证${id}与卡号${card}需核对`,
    });
    expect(returned.status).toBe(200);
    const text = JSON.stringify(returned.body);
    expect(text).not.toContain(id);
    expect(text).not.toContain(card);
    expect(text).toContain(`身份证${'*'.repeat(14)}${id.slice(-4)}`);
    expect(maskSensitiveText('编号 2026 金额 750000 卡 6217000010001234567')).toBe(
      `编号 2026 金额 750000 卡 ${'*'.repeat(15)}4567`,
    );
  });

  test('when a compressed body is corrupt or cut short, then 400 problem+json, never a 500', async () => {
    const whole = gzipSync(Buffer.from(JSON.stringify(aPropertyClaim('HH-x'))));
    for (const body of [whole.subarray(0, whole.length - 10), Buffer.from('not gzip at all')]) {
      const res = await fetch(`${h.apiUrl}/claims`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await tokenFor(people.filer)}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
  });

  test("payees' names on installments are masked in lists and on the claim page", () => {
    const row = { installments: [{ account: { cardLast4: '4567', holderName: '张建国' } }] } as unknown as ClaimProjection;
    expect(claimSummaryView(row).installments[0]?.account.holderName).toBe('张*国');
  });

  test('when a URL carries a percent-encoded resident ID, then the problem body and the log show it masked; unknown paths are 404', async () => {
    const id = (await h.newHousehold()).members[0]!.residentId;
    const encoded = [...id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    const res = await fetch(`${h.apiUrl}/nowhere?residentId=${encoded}`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain(id);
    expect(body).not.toContain(encoded);
    expect(body).toContain(id.slice(-4));
    expect(maskUrl(`/households?residentId=${encoded}`)).toBe(`/households?residentId=${'*'.repeat(14)}${id.slice(-4)}`);
    expect((await fetch(`${h.apiUrl}/claims`)).status).toBe(401); // a staff path without a token is still 401
  });

  test('every problem a person reads is in Chinese unless the request asks for English; the code is the same in both', async () => {
    const token = await tokenFor(people.filer);
    const ask = async (language: string | undefined, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${h.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(language ? { 'accept-language': language } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const problem = (await res.json()) as {
        code: string;
        title: string;
        detail: string;
        fieldErrors?: { path: string; message: string }[];
      };
      return { status: res.status, language: res.headers.get('content-language'), ...problem };
    };
    const household = await h.newHousehold();
    const bad = { ...aPropertyClaim(household.householdId), memberId: undefined, reportDate: '2026-02-30' };
    const zh = await ask(undefined, 'POST', '/claims', bad);
    expect(zh).toMatchObject({ status: 400, language: 'zh-CN', code: 'VALIDATION_FAILED', title: '请求校验未通过' });
    expect(zh.detail).toBe('报案信息有误，请按各字段提示修改。');
    expect(zh.fieldErrors).toEqual(
      expect.arrayContaining([
        { path: 'memberId', message: '必填项缺失' },
        { path: 'reportDate', message: '须为真实日期，格式 YYYY-MM-DD' },
      ]),
    );
    const en = await ask('en-US,en;q=0.9', 'POST', '/claims', bad);
    expect(en).toMatchObject({ status: 400, language: 'en', code: 'VALIDATION_FAILED', title: 'Request validation failed' });
    expect(en.fieldErrors).toEqual(
      expect.arrayContaining([{ path: 'reportDate', message: 'must be a real calendar date YYYY-MM-DD' }]),
    );

    // a refusal decided inside the claim's workflow (wrong stage for the action) reads in Chinese too
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    const refusal = await ask('zh-CN', 'POST', `/claims/${claimNo}/actions/approveAccount`, {});
    expect(refusal).toMatchObject({ status: 409, code: 'CONFLICT', title: '与当前状态冲突' });
    expect(refusal.detail).toBe('案件处于村级审核环节，不能审核更正的账户。');
    const refusalEn = await ask('en', 'POST', `/claims/${claimNo}/actions/approveAccount`, {});
    expect(refusalEn.detail).toBe("'approveAccount' is not possible while the claim is in stage village_review.");
  });

  test('an action right after filing, before the workflow has written the read model, finds the claim (never a 404)', async () => {
    const household = await h.newHousehold();
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    await h.claims.remove(claimNo); // as in the moment between the 202 and the workflow's first projection
    const review = await call(await tokenFor(people.village), 'POST', `/claims/${claimNo}/actions/review`, {});
    expect(review).toMatchObject({ status: 200, body: { stage: 'public_notice' } });
    const outsider = await call(await tokenFor(people.otherVillage), 'POST', `/claims/${claimNo}/actions/review`, {});
    expect(outsider.status).toBe(404);
  });
});
