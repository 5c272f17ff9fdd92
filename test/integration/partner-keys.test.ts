/**
 * The partner registry lives in the database and keys rotate on a running stack: ops add a partner's next key, the
 * partner switches to it, ops retire the old one; the API and the worker pick each change up without a restart, and
 * no valid message is refused on the way.
 */
import { pollUntil } from '../../common/poll';
import { keyIdOf } from '../../common/partners/signature';
import { postSigned } from '../../common/partners/client';
import type { Actor } from '../../workflows/claim/types';
import { people, startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { staffApi } from '../helpers/staff-api';

jest.setTimeout(180_000);

const admin = { userId: 'admin-1', role: 'admin', jurisdiction: '341324', name: '县管理员' } satisfies Actor;

interface KeyView {
  keyId: string;
  state: string;
  lastUsedAt: string | null;
}
interface PartnerView {
  partnerId: string;
  kind: string;
  url: string;
  version: number;
  keys: KeyView[];
}

let h: ClaimHarness;
beforeAll(async () => {
  h = await startClaimHarness({ insurer: { decisionDelayMs: 300 }, bank: { settleDelayMs: 300 } });
});
afterAll(async () => h?.stop());

const api = staffApi(() => h);

const simConfig = async (url: string, body: unknown) => {
  const res = await fetch(`${url}/_sim/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`simulator config refused: ${res.status}`);
};

/** Counts of refused partner callbacks the API saw (by failure code); none may appear while keys rotate. */
async function refusedCallbacks(): Promise<string[]> {
  const text = await (await fetch(`${h.apiUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('fangpin_partner_callback_verifications_total{') && !line.includes('result="ok"'))
    .filter((line) => !line.endsWith(' 0'));
}

describe('the partner registry in the database', () => {
  test('ops and the administrator list the partners with their keys, never a secret; other staff are refused', async () => {
    const listed = await api<{ items: PartnerView[] }>(people.ops, 'GET', '/ops/partners');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p) => p.partnerId).sort()).toEqual(['bank', 'cpic-anhui', 'data-sources', 'picc-suzhou']);
    const picc = listed.body.items.find((p) => p.partnerId === 'picc-suzhou')!;
    expect(picc).toMatchObject({ kind: 'insurer', url: h.insurerUrl('picc-suzhou') });
    expect(picc.keys).toEqual([
      expect.objectContaining({ keyId: keyIdOf(h.partners.insurers[0]!.secrets[0]!), state: 'active' }),
    ]);
    for (const secret of [h.partners.bank.secrets[0]!, h.partners.insurers[0]!.secrets[0]!])
      expect(listed.text).not.toContain(secret);
    expect((await api(admin, 'GET', '/ops/partners')).status).toBe(200);
    expect((await api(people.county, 'GET', '/ops/partners')).status).toBe(403);
    expect((await api(people.village, 'POST', '/ops/partners/bank/keys', { reason: 'x' })).status).toBe(403);
    const history = await api<{ items: { action: string; by: string }[] }>(people.ops, 'GET', '/ops/partners/bank/history');
    expect(history.body.items).toEqual([expect.objectContaining({ action: 'seeded', by: 'PARTNERS_FILE' })]);
  });

  test('bad requests are refused field by field and change nothing', async () => {
    const before = await api<PartnerView>(people.ops, 'GET', '/ops/partners/bank');
    const short = await api<{ fieldErrors: { path: string }[] }>(people.ops, 'POST', '/ops/partners/bank/keys', {
      reason: '',
      secret: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.fieldErrors.map((e) => e.path).sort()).toEqual(['reason', 'secret']);
    expect((await api(people.ops, 'POST', '/ops/partners/nobody/keys', { reason: 'x' })).status).toBe(404);
    const last = await api(people.ops, 'POST', `/ops/partners/bank/keys/${before.body.keys[0]!.keyId}/retire`, {
      reason: 'x',
      force: true,
    });
    expect(last.status).toBe(422); // the only active key
    const stale = await api(people.ops, 'PATCH', '/ops/partners/bank', {
      expectedVersion: before.body.version + 5,
      reason: 'x',
      sandboxUrl: 'http://127.0.0.1:1/sandbox',
    });
    expect(stale.status).toBe(409);
    expect((await api<PartnerView>(people.ops, 'GET', '/ops/partners/bank')).body).toEqual(before.body);
  });

  test('when an insurer and the bank rotate their keys mid-traffic, every claim is paid and no valid message is refused', async () => {
    const claims = Promise.all(Array.from({ length: 6 }, () => h.approvedByCounty()));
    const partners: { id: string; old: string; sim: string; next?: string }[] = [
      { id: 'picc-suzhou', old: h.partners.insurers[0]!.secrets[0]!, sim: h.insurerUrl('picc-suzhou') },
      { id: 'bank', old: h.partners.bank.secrets[0]!, sim: h.bankUrl },
    ];
    // traffic first: each partner has signed messages under its old key before anything changes
    const logged = (partnerId: string) => async () =>
      (await api<{ items: unknown[] }>(people.ops, 'GET', `/ops/partners/${partnerId}/messages`)).body.items.length > 0
        ? true
        : undefined;
    for (const p of partners) await pollUntil(`a message from ${p.id}`, logged(p.id), { timeoutMs: 90_000, intervalMs: 200 });
    const during = Promise.all(Array.from({ length: 4 }, () => h.approvedByCounty())); // and more in flight meanwhile
    for (const p of partners) {
      // 1. fangpin adds the next key: from now on it signs with both, and accepts both
      const added = await api<{ key: { keyId: string; secret: string }; partner: PartnerView }>(
        people.ops,
        'POST',
        `/ops/partners/${p.id}/keys`,
        { reason: '年度密钥轮换' },
      );
      expect(added.status).toBe(201);
      expect(added.body.key.keyId).toBe(keyIdOf(added.body.key.secret));
      expect(added.body.partner.keys.filter((k) => k.state === 'active')).toHaveLength(2);
      p.next = added.body.key.secret;
      // 2. the partner takes the new key: it signs with both and accepts both until fangpin retires the old one
      await simConfig(p.sim, { secrets: [p.old, p.next] });
    }
    const paid = [...(await claims), ...(await during)];
    for (const claimNo of paid) await h.waitFor(claimNo, 'closed', (s) => s.status === 'paid', 90_000);
    // more traffic after the switch, so each partner has messages under the new key
    const after = await h.approvedByCounty();
    await h.waitFor(after, 'closed', (s) => s.status === 'paid', 90_000);

    for (const { id, old, next } of partners) {
      const p = { id, old, next: next! };
      const messages = await api<{ items: { keyId: string; route: string }[] }>(
        people.ops,
        'GET',
        `/ops/partners/${p.id}/messages`,
      );
      expect(messages.body.items[0]).toMatchObject({ keyId: keyIdOf(p.next) });
      expect(messages.body.items.some((m) => m.keyId === keyIdOf(p.old))).toBe(true); // before the switch
      // 3. retiring the old key: refused while it signed messages minutes ago, then done with force (audited)
      const inUse = await api<{ lastUsedAt: string }>(people.ops, 'POST', `/ops/partners/${p.id}/keys/${keyIdOf(p.old)}/retire`, {
        reason: '对方已改用新密钥',
      });
      expect(inUse.status).toBe(409);
      expect(inUse.body.lastUsedAt).toEqual(expect.any(String));
      const retired = await api<PartnerView>(admin, 'POST', `/ops/partners/${p.id}/keys/${keyIdOf(p.old)}/retire`, {
        reason: '对方已改用新密钥',
        force: true,
      });
      expect(retired.status).toBe(200);
      expect(retired.body.keys.map((k) => [k.keyId, k.state])).toEqual([
        [keyIdOf(p.old), 'retired'],
        [keyIdOf(p.next), 'active'],
      ]);
      const history = await api<{ items: { action: string; by: string; keyId: string | null }[] }>(
        people.ops,
        'GET',
        `/ops/partners/${p.id}/history`,
      );
      expect(history.body.items.slice(0, 2)).toEqual([
        expect.objectContaining({ action: 'key_retired', by: admin.userId, keyId: keyIdOf(p.old) }),
        expect.objectContaining({ action: 'key_added', by: people.ops.userId, keyId: keyIdOf(p.next) }),
      ]);
    }
    expect(await refusedCallbacks()).toEqual([]);
    expect(await h.stores.activityFailures.recent(50)).toEqual([]);

    // 4. the partners drop the old key too: the retired key is refused at once, and the worker signs with the new one
    for (const p of partners) await simConfig(p.sim, { secrets: [p.next!] });
    const decisions = `${h.apiUrl}/partners/insurers/picc-suzhou/decisions`;
    const withOld = await postSigned({ url: decisions, body: {}, secrets: [partners[0]!.old] });
    expect(withOld.status).toBe(401);
    const last = await h.approvedByCounty();
    await h.waitFor(last, 'closed', (s) => s.status === 'paid', 90_000);
  });
});
