/**
 * A partner's sandbox: an insurer (and the bank) with a sandbox URL can be sent test claims that run the whole round
 * trip (package, signed decision, documents round, payout, signed result) against the sandbox only, numbered under
 * county 000000, marked in ops, and never reaching a real claim, the exposure ledger or a real payout.
 */
import { createLogger } from '../../common/logger';
import { pollUntil } from '../../common/poll';
import { buildBankSim } from '../../sim/bank/bank-sim';
import { listen, type RunningSim } from '../../sim/common';
import { buildInsurerSim } from '../../sim/insurer/insurer-sim';
import type { Actor } from '../../workflows/claim/types';
import type { SandboxClaimState } from '../../domain/sandbox';
import { recordWorkflowHistory } from '../helpers/histories';
import { sandboxWorkflowId } from '../../workflows/sandbox/workflow';
import { people, startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { staffApi } from '../helpers/staff-api';

jest.setTimeout(120_000);
const silent = createLogger({ level: 'silent' });

let h: ClaimHarness;
let insurerSandbox: ReturnType<typeof buildInsurerSim>;
let bankSandbox: ReturnType<typeof buildBankSim>;
const running: RunningSim[] = [];
let insurerSandboxUrl: string;
let bankSandboxUrl: string;

beforeAll(async () => {
  h = await startClaimHarness();
  // the partners' test systems: their own processes' worth of state, the same keys, callbacks to the same fangpin
  insurerSandbox = buildInsurerSim(
    {
      insurerId: 'picc-suzhou',
      secrets: h.partners.insurers[0]!.secrets,
      callbackBaseUrl: h.apiUrl,
      decisionDelayMs: 100,
      mix: { approved_full: 1 },
    },
    silent,
  );
  bankSandbox = buildBankSim({ secrets: h.partners.bank.secrets, callbackBaseUrl: h.apiUrl, settleDelayMs: 100 }, silent);
  const i = await listen(insurerSandbox.app, 0);
  const b = await listen(bankSandbox.app, 0);
  running.push(i, b);
  insurerSandboxUrl = i.url;
  bankSandboxUrl = b.url;
});
afterAll(async () => {
  insurerSandbox?.stop();
  bankSandbox?.stop();
  await Promise.all(running.map((r) => r.close()));
  await h?.stop();
});

const api = staffApi(() => h);

const setSandbox = async (partnerId: string, sandboxUrl: string | null) => {
  const current = await api<{ version: number }>(people.ops, 'GET', `/ops/partners/${partnerId}`);
  const changed = await api(people.ops, 'PATCH', `/ops/partners/${partnerId}`, {
    expectedVersion: current.body.version,
    reason: '接入测试',
    sandboxUrl,
  });
  expect(changed.status).toBe(200);
};

async function closedState(claimNo: string): Promise<SandboxClaimState> {
  let last: SandboxClaimState | undefined;
  try {
    return await pollUntil(
      `test claim ${claimNo} closed`,
      async () => {
        last = (await api<SandboxClaimState>(people.ops, 'GET', `/ops/sandbox/claims/${claimNo}`)).body;
        return last.stage === 'closed' ? last : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last: ${JSON.stringify(last).slice(0, 2_000)}`);
  }
}

describe("a partner's sandbox", () => {
  test('without a sandbox URL a test claim is refused and nothing is sent', async () => {
    const refused = await api<{ detail: string }>(people.ops, 'POST', '/ops/partners/picc-suzhou/sandbox/claims', {});
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('沙箱');
    expect((await api(people.county, 'POST', '/ops/partners/picc-suzhou/sandbox/claims', {})).status).toBe(403);
    expect((await api(people.ops, 'POST', '/ops/partners/picc-suzhou/sandbox/claims', { proposedFen: -1 })).status).toBe(400);
  });

  test('a test claim runs the round trip at the insurer sandbox, with a documents round; the payout is simulated when the bank has no sandbox', async () => {
    await setSandbox('picc-suzhou', insurerSandboxUrl);
    const created = await api<{ claimNo: string; sandbox: boolean }>(
      people.ops,
      'POST',
      '/ops/partners/picc-suzhou/sandbox/claims',
      {
        proposedFen: 500_000,
        documentsFirst: true,
      },
    );
    expect(created.status).toBe(202);
    const { claimNo } = created.body;
    expect(claimNo).toMatch(/^FP-\d{8}-000000-\d{6}$/);
    const state = await closedState(claimNo);
    expect(state).toMatchObject({
      status: 'paid',
      round: 2,
      approvedFen: 500_000,
      payout: { simulated: true, status: 'confirmed' },
    });
    await recordWorkflowHistory(h.client, sandboxWorkflowId(claimNo), 'sandbox-documents-round');
    expect(state.trail.map((e) => e.code)).toEqual([
      'created',
      'package_sent',
      'documents_requested',
      'package_sent',
      'approved',
      'payout_simulated',
    ]);
    // the sandbox got both rounds; the live insurer, the live bank and the claims never heard of it
    expect(insurerSandbox.state.packages.map((p) => [p.claimNo, p.round, p.productId])).toEqual([
      [claimNo, 1, 'conformance-test-documents'],
      [claimNo, 2, 'conformance-test-documents'],
    ]);
    expect(h.insurerSim().state.packages.some((p) => p.claimNo === claimNo)).toBe(false);
    expect([...h.bankSim.ledger.values()].some((e) => e.claimNo === claimNo)).toBe(false);
    expect(await h.claims.find(claimNo)).toBeNull();
  });

  test('with the bank in sandbox too, the test payout goes to its sandbox and its signed result closes the claim; a bounce card bounces', async () => {
    await setSandbox('bank', bankSandboxUrl);
    const paid = await api<{ claimNo: string }>(people.ops, 'POST', '/ops/partners/picc-suzhou/sandbox/claims', {
      proposedFen: 300_000,
    });
    const bounced = await api<{ claimNo: string }>(admin(), 'POST', '/ops/partners/picc-suzhou/sandbox/claims', {
      proposedFen: 200_000,
      card: 'card_frozen',
    });
    const [p, b] = [await closedState(paid.body.claimNo), await closedState(bounced.body.claimNo)];
    expect(p).toMatchObject({ status: 'paid', payout: { simulated: false, status: 'confirmed', amountFen: 300_000 } });
    expect(b).toMatchObject({ status: 'bounced', payout: { simulated: false, status: 'bounced', reason: 'card_frozen' } });
    expect(bankSandbox.ledger.get(`${paid.body.claimNo}:1:1`)).toMatchObject({ amountFen: 300_000, status: 'confirmed' });
    expect([...h.bankSim.ledger.values()].some((e) => e.claimNo.includes('-000000-'))).toBe(false);

    // ops see them, marked as tests; a repeat of the decision is a duplicate
    const listed = await api<{ items: (SandboxClaimState & { sandbox: boolean; label: { zh: string } })[] }>(
      people.ops,
      'GET',
      '/ops/sandbox/claims',
    );
    expect(listed.body.items.map((i) => i.claimNo)).toEqual(expect.arrayContaining([paid.body.claimNo, bounced.body.claimNo]));
    expect(listed.body.items.every((i) => i.sandbox && i.label.zh.includes('测试'))).toBe(true);
    const partners = await api<{ items: { partnerId: string; sandbox: boolean }[] }>(people.ops, 'GET', '/ops/partners');
    expect(
      partners.body.items
        .filter((i) => i.sandbox)
        .map((i) => i.partnerId)
        .sort(),
    ).toEqual(['bank', 'picc-suzhou']);

    const decision = insurerSandbox.state.decisions.find((d) => d.decision.claimNo === paid.body.claimNo)!.decision;
    const { postSigned } = await import('../../common/partners/client');
    const again = await postSigned({
      url: `${h.apiUrl}/partners/insurers/picc-suzhou/decisions`,
      body: decision,
      secrets: h.partners.insurers[0]!.secrets,
    });
    expect(again).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    // another insurer cannot touch it
    const other = await postSigned({
      url: `${h.apiUrl}/partners/insurers/cpic-anhui/decisions`,
      body: { ...decision, insurerId: 'cpic-anhui' },
      secrets: h.partners.insurers[1]!.secrets,
    });
    expect(other.status).toBe(404);
    // no real claim, no exposure, no statistics: the county's numbers are untouched
    expect(await h.stores.exposure.forHousehold('TEST-HH-0001')).toEqual([]);
  });
});

const admin = (): Actor => ({ userId: 'admin-1', role: 'admin', jurisdiction: '341324', name: '县管理员' });
