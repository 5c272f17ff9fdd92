import { SignJWT } from 'jose';
import { postSigned } from '../../common/partners/client';
import { createTemporalClient } from '../../common/temporal';
import { freePort } from '../../scripts/stack/ports';
import { pollUntil } from '../../common/poll';
import { aHousehold, aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, TEST_AUTH, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import { uniqueName } from '../helpers/servers';
import type { Actor } from '../../workflows/claim/types';
import type { ClaimDocument } from '../../domain/claim';

describe('staff API: households and claims over HTTP', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  async function call(
    actor: Actor | string | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const token = actor === null ? undefined : typeof actor === 'string' ? actor : await tokenFor(actor);
    // a filing's files go first, as the workbench uploads them before it files (documents.test.ts: without them, 422)
    const listed = (body as { documents?: ClaimDocument[] } | undefined)?.documents;
    if (method === 'POST' && path === '/claims' && token && listed) await h.upload(listed, token);
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { items?: { claimNo: string }[] },
    };
  }

  const freshHousehold = () => aHousehold({ householdId: uniqueName('HH') });
  const propertyClaim = (householdId: string, assessedLossFen = 800_000) =>
    aPropertyClaim(householdId, { loss: { line: 'property', cause: 'fire', assessedLossFen } });

  describe('authentication', () => {
    test('when no token, a malformed one, an expired one or one for another audience is sent, then 401 problem+json', async () => {
      const expired = await new SignJWT({ role: 'county', jurisdiction: '341324' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuer(TEST_AUTH.issuer)
        .setAudience(TEST_AUTH.audience)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(TEST_AUTH.secret));
      const otherAudience = await new SignJWT({ role: 'county', jurisdiction: '341324' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuer(TEST_AUTH.issuer)
        .setAudience('someone-else')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(TEST_AUTH.secret));
      const results = await Promise.all([
        call(null, 'GET', '/claims'),
        call('not.a.jwt', 'GET', '/claims'),
        call(expired, 'GET', '/claims'),
        call(otherAudience, 'GET', '/claims'),
      ]);
      expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401]);
      expect(results[2]?.body).toMatchObject({
        code: 'UNAUTHENTICATED',
        title: '需要登录认证',
        detail: '认证失败：令牌已过期，请重新登录。',
      });
      expect(results[2]?.headers.get('content-language')).toBe('zh-CN');
      expect(results[0]?.headers.get('content-type')).toMatch(/application\/problem\+json/);
    });
  });

  describe('households', () => {
    test('when a village clerk registers a household, then it is stored and read back with IDs and card masked', async () => {
      const household = freshHousehold();
      const put = await call(people.filer, 'PUT', `/households/${household.householdId}`, household);
      expect(put.status).toBe(201);
      const again = await call(people.filer, 'PUT', `/households/${household.householdId}`, household);
      expect(again.status).toBe(200);
      const got = await call(people.county, 'GET', `/households/${household.householdId}`);
      expect(got.status).toBe(200);
      const text = JSON.stringify(got.body);
      expect(text).not.toContain(household.members[0]!.residentId);
      expect(text).not.toContain(household.payoutAccount.cardNumber);
      expect(got.body).toMatchObject({
        payoutAccount: { cardNumber: `***************${household.payoutAccount.cardNumber.slice(-4)}` },
      });
    });

    test('when staff of another village register or read it, then 403 to register and 404 to read (as if it did not exist)', async () => {
      const household = freshHousehold();
      expect((await call(people.otherVillage, 'PUT', `/households/${household.householdId}`, household)).status).toBe(403);
      await call(people.filer, 'PUT', `/households/${household.householdId}`, household);
      expect((await call(people.otherVillage, 'GET', `/households/${household.householdId}`)).status).toBe(404);
    });

    test('when the household is invalid, then 400 lists every field and nothing is written', async () => {
      const household = freshHousehold();
      const bad = {
        ...household,
        members: household.members.map((m) => ({ ...m, residentId: '340524198001010013' })),
        surprise: { $gt: '' },
      };
      const res = await call(people.filer, 'PUT', `/households/${household.householdId}`, bad);
      expect(res.status).toBe(400);
      expect((res.body.fieldErrors as { path: string }[]).map((f) => f.path)).toEqual(
        expect.arrayContaining(['members.0.residentId', 'members.1.residentId', 'members.2.residentId', '(body)']),
      );
      expect(await h.households.find(household.householdId)).toBeNull();
    });

    test('search finds households by name and ID suffix inside the jurisdiction only', async () => {
      const household = freshHousehold();
      await call(people.filer, 'PUT', `/households/${household.householdId}`, household);
      const suffix = household.members[0]!.residentId.slice(-4);
      const found = await call(
        people.township,
        'GET',
        `/households?idSuffix=${suffix}&name=${encodeURIComponent('张建国')}&limit=100`,
      );
      expect(found.status).toBe(200);
      expect((found.body.items as unknown as { householdId: string }[]).map((x) => x.householdId)).toContain(
        household.householdId,
      );
      const elsewhere = await call(
        { ...people.township, userId: 't9', jurisdiction: '341324106' },
        'GET',
        `/households?idSuffix=${suffix}`,
      );
      expect(elsewhere.body.items).toEqual([]);
      // a full resident ID is searched in a body, never in a URL
      const byId = await call(people.township, 'POST', '/households/search', { residentId: household.members[0]!.residentId });
      expect((byId.body.items as unknown as { householdId: string }[]).map((x) => x.householdId)).toContain(
        household.householdId,
      );
      const inUrl = await call(people.township, 'GET', `/households?residentId=${household.members[0]!.residentId}`);
      expect(inUrl).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      expect(JSON.stringify(inUrl.body)).not.toContain(household.members[0]!.residentId);
    });
  });

  describe('claims', () => {
    async function registered() {
      const household = freshHousehold();
      await h.households.save(household);
      return household;
    }

    test('when a claim is filed with an Idempotency-Key, then 202 with Location; a retry returns the same claim; another body is 422', async () => {
      const household = await registered();
      const key = uniqueName('idem-key');
      const first = await call(people.filer, 'POST', '/claims', propertyClaim(household.householdId), { 'idempotency-key': key });
      expect(first.status).toBe(202);
      expect(first.headers.get('location')).toBe(`/claims/${first.body.claimNo as string}`);
      const retry = await call(people.filer, 'POST', '/claims', propertyClaim(household.householdId), { 'idempotency-key': key });
      expect(retry).toMatchObject({ status: 202, body: { claimNo: first.body.claimNo } });
      const changed = await call(people.filer, 'POST', '/claims', propertyClaim(household.householdId, 900_000), {
        'idempotency-key': key,
      });
      expect(changed.status).toBe(422);
      // the claim's workflow writes its row in the read model: once there, it is the only one of the household
      const mine = await pollUntil('the filed claim in the list', async () => {
        const page = await h.claims.list({ scope: household.divisionCode }, 100);
        const found = page.items.filter((c) => c.householdId === household.householdId);
        return found.length > 0 ? found : undefined;
      });
      expect(mine.map((c) => c.claimNo)).toEqual([first.body.claimNo]);
    });

    test('when the claim is read, then summary, timeline and live state come back, with the card masked', async () => {
      const household = await registered();
      const filed = await call(people.filer, 'POST', '/claims', propertyClaim(household.householdId));
      const claimNo = filed.body.claimNo as string;
      // The read model follows the workflow within moments: poll until the timeline shows the assessment.
      const res = await pollUntil('the timeline', async () => {
        const r = await call(people.township, 'GET', `/claims/${claimNo}`);
        // the trail is written just before the projection: wait for both
        const passed = (r.body.timeline as { action: string }[] | undefined)?.some((e) => e.action === 'eligibility_passed');
        return passed && (r.body.claim as { stage?: string } | undefined)?.stage === 'village_review' ? r : undefined;
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ claim: { claimNo, stage: 'village_review', proposedFen: 750_000 } });
      expect(res.body.live).toBeUndefined(); // served from the read model: no workflow query
      const withLive = await call(people.township, 'GET', `/claims/${claimNo}?include=live`);
      expect(withLive.body).toMatchObject({
        claim: { claimNo },
        live: { stage: 'village_review', proposal: { payableFen: 750_000 } },
      });
      expect(JSON.stringify(withLive.body)).not.toContain(household.payoutAccount.cardNumber);
      expect((await call(people.township, 'GET', `/claims/${claimNo}?include=everything`)).status).toBe(400);
      expect((res.body.timeline as { action: string }[]).map((e) => e.action)).toEqual(
        expect.arrayContaining(['filed', 'eligibility_passed']),
      );
      expect(JSON.stringify(res.body)).not.toContain(household.payoutAccount.cardNumber);
      expect((await call(people.otherVillage, 'GET', `/claims/${claimNo}`)).status).toBe(404);
      expect((await call(people.county, 'GET', '/claims/FP-20200101-341324-999999')).status).toBe(404);
    });

    test('when staff act, then the workflow decides: 200 with the new state, 409 with the current stage, 403 for self-approval', async () => {
      const household = await registered();
      const filed = await call(people.filer, 'POST', '/claims', propertyClaim(household.householdId));
      const claimNo = filed.body.claimNo as string;
      await h.waitFor(claimNo, 'village_review');
      const wrongStage = await call(people.county, 'POST', `/claims/${claimNo}/actions/reject`, { reason: 'no' });
      expect(wrongStage).toMatchObject({ status: 409, body: { code: 'CONFLICT', stage: 'village_review' } });
      const self = await call(people.filer, 'POST', `/claims/${claimNo}/actions/review`, {});
      expect(self).toMatchObject({ status: 403, body: { failure: 'ERR_SELF_APPROVAL' } });
      const missingReason = await call(people.village, 'POST', `/claims/${claimNo}/actions/return`, {});
      expect(missingReason).toMatchObject({ status: 400, body: { fieldErrors: [{ path: 'reason' }] } });
      const ops = await call(
        { ...people.county, userId: 'ops-1', role: 'ops' },
        'POST',
        `/claims/${claimNo}/actions/approve`,
        {},
      );
      expect(ops.status).toBe(403);
      const reviewed = await call(people.village, 'POST', `/claims/${claimNo}/actions/review`, {});
      expect(reviewed).toMatchObject({ status: 200, body: { stage: 'public_notice' } });
      expect((await call(people.village, 'POST', `/claims/${claimNo}/actions/dance`, {})).status).toBe(400);
    });

    test('the payout preview calculates without writing anything', async () => {
      const household = await registered(); // its claims alone: the county's list grows with earlier tests' read model
      const res = await call(people.filer, 'POST', '/claims/preview', propertyClaim(household.householdId));
      expect(res).toMatchObject({ status: 200, body: { eligible: true, calculation: { payableFen: 750_000 } } });
      expect(await h.claims.openOfHousehold(household.householdId)).toEqual([]);
    });

    test('listing is scoped at the query and pages stay stable while claims are filed', async () => {
      const households = await Promise.all([registered(), registered(), registered()]);
      for (const hh of households) await call(people.filer, 'POST', '/claims', propertyClaim(hh.householdId));
      const first = await call(people.township, 'GET', '/claims?limit=2');
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      const late = await registered();
      await call(people.filer, 'POST', '/claims', propertyClaim(late.householdId));
      const second = await call(people.township, 'GET', `/claims?limit=2&cursor=${first.body.nextCursor as string}`);
      const seen = [...first.body.items!, ...second.body.items!].map((c) => c.claimNo);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...seen].sort().reverse());
      const otherTownship = await call({ ...people.township, userId: 't9', jurisdiction: '341324106' }, 'GET', '/claims');
      expect(otherTownship.body.items).toEqual([]);
      expect((await call(people.township, 'GET', '/claims?division=341324106')).status).toBe(403);
      expect((await call(people.township, 'GET', '/claims?cursor=bm9wZQ')).status).toBe(400);
      expect((await call(people.township, 'GET', '/claims?stage=nowhere')).status).toBe(400);
    });

    test('when the body is not JSON, then 415', async () => {
      const res = await call(people.filer, 'POST', '/claims', undefined, { 'content-type': 'text/plain' });
      expect(res.status).toBe(400);
      const form = await fetch(`${h.apiUrl}/claims`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await tokenFor(people.filer)}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'householdId=HH-1',
      });
      expect(form.status).toBe(415);
      expect(await form.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    test('when partner callbacks are unsigned, wrongly signed, stale or replayed, then 401; a rotated key works', async () => {
      const result = {
        type: 'payout_result',
        idempotencyKey: 'nope-0000',
        claimNo: 'FP-20261129-341324-999999',
        bankRef: 'B',
        status: 'confirmed',
        amountFen: 1,
        settledAt: new Date().toISOString(),
      };
      const url = `${h.apiUrl}/partners/bank/payouts`;
      const [bankSecret] = h.partners.bank.secrets;
      const unsigned = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result),
      });
      const wrong = await postSigned({ url, body: result, secrets: ['wrong-secret-0123456789abcdef0123456789abcdef'] });
      const stale = await postSigned({
        url,
        body: result,
        secrets: [bankSecret!],
        timestamp: Math.floor(Date.now() / 1000) - 3_600,
      });
      const rotated = await postSigned({
        url,
        body: result,
        secrets: ['next-secret-0123456789abcdef0123456789abcdef', bankSecret!],
      });
      expect([unsigned.status, wrong.status, stale.status]).toEqual([401, 401, 401]);
      expect(stale.body).toMatchObject({ failure: 'TIMESTAMP_OUT_OF_WINDOW' });
      expect(rotated.status).toBe(404); // signed correctly (one of the two keys matches); the claim does not exist
    });

    test('when bodies are malformed, carry unknown fields or operators, then 400 and nothing is filed', async () => {
      // counted on this household alone: the county's list also grows with the read model of earlier tests' claims
      const household = await registered();
      const malformed = await call(people.filer, 'POST', '/claims', '{"householdId":');
      const operator = await call(people.filer, 'POST', '/claims', {
        ...propertyClaim(household.householdId),
        householdId: { $ne: null },
      });
      const extra = await call(people.filer, 'POST', '/claims', { ...propertyClaim(household.householdId), admin: true });
      expect([malformed.status, operator.status, extra.status]).toEqual([400, 400, 400]);
      expect(await h.claims.openOfHousehold(household.householdId)).toEqual([]);
    });
  });

  describe('when a dependency is down', () => {
    test('filing answers 503 with Retry-After and leaves nothing behind', async () => {
      const dead = createTemporalClient({ address: `127.0.0.1:${await freePort()}`, namespace: 'default' });
      const running = await h.apiOn(dead);
      try {
        const household = freshHousehold();
        await h.households.save(household);
        const claim = propertyClaim(household.householdId);
        await h.storeFiles(claim.documents);
        const res = await fetch(`${running.url}/claims`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await tokenFor(people.filer)}`, 'content-type': 'application/json' },
          body: JSON.stringify(claim),
        });
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(await res.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
        const left = await h.claims.list({ scope: household.divisionCode }, 100);
        expect(left.items.filter((c) => c.householdId === household.householdId)).toEqual([]);
      } finally {
        await running.close();
        await dead.connection.close();
      }
    }, 60_000);
  });
});
