import { Writable } from 'node:stream';
import type { ClaimInput } from '../../domain/claim';
import { createLogger } from '../../common/logger';
import { pollUntil } from '../../common/poll';
import { aClaim, type aHousehold, aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Actor } from '../../workflows/claim/types';
import type { Json } from '../helpers/json';

/** Every log line the API and the worker write during the scenario, parsed. */
const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

/**
 * A seeded scenario with claims planted in each state that ops cares about, on the real servers:
 *  - waiting: left in village review (late and stuck under the short clocks below);
 *  - paid and rejected: closed;
 *  - failing: in insurer review while the insurer answers 5xx (its delivery activity keeps retrying);
 *  - escalated: the insurer never decides, the workflow escalates (SLA breached, the insurer's fault);
 *  - paying: in payout while the bank holds the instruction.
 */
describe('ops views, operator actions, metrics and logs', () => {
  let h: ClaimHarness;
  const planted: Record<'waiting' | 'paid' | 'rejected' | 'failing' | 'escalated' | 'paying', string> = {
    waiting: '',
    paid: '',
    rejected: '',
    failing: '',
    escalated: '',
    paying: '',
  };

  const newHousehold = (overrides: Parameters<typeof aHousehold>[0] = {}) => h.newHousehold(overrides);
  const claimFor = (householdId: string, line: 'property' | 'health' = 'property'): ClaimInput =>
    line === 'property'
      ? aPropertyClaim(householdId)
      : aClaim({ householdId, memberId: 'm1', line: 'health', eventDate: '2026-07-01', reportDate: '2026-07-20' });

  async function throughCounty(claimNo: string): Promise<void> {
    await h.waitFor(claimNo, 'village_review');
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review');
    await h.service.act(claimNo, { action: 'approve', actor: people.township });
    await h.service.act(claimNo, { action: 'approve', actor: people.county });
  }
  const simConfig = (url: string, body: object) =>
    fetch(`${url}/_sim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function api(path: string, actor: Actor = people.ops, init: RequestInit = {}) {
    const res = await fetch(`${h.apiUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${await tokenFor(actor)}`, 'content-type': 'application/json', ...init.headers },
    });
    return { status: res.status, body: (await res.json()) as Record<string, Json> };
  }

  beforeAll(async () => {
    h = await startClaimHarness({
      ops: { sla: { reviewMs: 1_500 }, stuckAfterMs: 2_000 },
      logger: createLogger({ level: 'info', destination: logSink }),
    });
    // paid first, while the partners behave
    planted.paid = (await h.service.file(claimFor((await newHousehold()).householdId), people.filer)).claimNo;
    await throughCounty(planted.paid);
    await h.waitFor(planted.paid, 'closed');
    planted.rejected = (
      await h.service.file(claimFor((await newHousehold({ enrollments: [] })).householdId), people.filer)
    ).claimNo;
    await h.waitFor(planted.rejected, 'closed');

    // the bank now holds instructions; the insurer of health claims (cpic-anhui) never decides in time
    expect((await simConfig(h.bankUrl, { settleDelayMs: 600_000 })).status).toBe(200);
    planted.paying = (await h.service.file(claimFor((await newHousehold()).householdId), people.filer)).claimNo;
    await throughCounty(planted.paying);
    await h.waitFor(planted.paying, 'payout');

    const escalating = h.serviceWith({
      insurerEscalateAfterMs: { crop: 1_000, health: 1_000, accident: 1_000, property: 1_000, education: 1_000 },
    });
    planted.escalated = (await escalating.file(claimFor((await newHousehold()).householdId, 'health'), people.filer)).claimNo;
    expect((await simConfig(h.insurerUrl('cpic-anhui'), { decisionDelayMs: 600_000 })).status).toBe(200);
    await throughCounty(planted.escalated);
    await h.waitFor(planted.escalated, 'insurer_review', (s) => s.slaBreached);

    // the property insurer (picc-suzhou) now fails every delivery
    expect((await simConfig(h.insurerUrl('picc-suzhou'), { faults: { failRate5xx: 1 } })).status).toBe(200);
    planted.failing = (await h.service.file(claimFor((await newHousehold()).householdId), people.filer)).claimNo;
    await throughCounty(planted.failing);
    await pollUntil(
      'the delivery to fail twice',
      async () => {
        const { body } = await api('/ops/failing-activities');
        return (body.items as { claimNo: string; activity: { attempt: number } }[]).some(
          (i) => i.claimNo === planted.failing && i.activity.attempt >= 2,
        )
          ? true
          : undefined;
      },
      { timeoutMs: 30_000 },
    );

    planted.waiting = (await h.service.file(claimFor((await newHousehold()).householdId), people.filer)).claimNo;
    await h.waitFor(planted.waiting, 'village_review');
    // the short clocks: review 1.5 s, stuck after 2 s
    await pollUntil('the waiting claim to be stuck', async () => {
      const { body } = await api('/ops/stuck');
      return (body.items as { claimNo: string }[]).some((i) => i.claimNo === planted.waiting) ? true : undefined;
    });
  }, 120_000);
  afterAll(() => h.stop());

  test('the summary counts claims by stage, status, line, township and insurer, and totals payouts', async () => {
    const { status, body } = await api('/ops/summary');
    expect(status).toBe(200);
    const funnel = Object.fromEntries((body.funnel as { stage: string; count: number }[]).map((f) => [f.stage, f.count]));
    expect(funnel).toMatchObject({ closed: 2, village_review: 1, insurer_review: 2, payout: 1, eligibility: 0 });
    expect(body.byStatus).toEqual({ open: 4, paid: 1, rejected: 1 });
    expect(body.open).toMatchObject({ total: 4, byLine: { property: 3, health: 1 }, byTownship: { '341324105': 4 } });
    expect(body.open.byInsurer).toEqual({ 'picc-suzhou': 3, 'cpic-anhui': 1 });
    const paid = await h.service.state(planted.paid);
    expect(body.payouts.paidFen).toBe(paid.paidFen);
    expect(body.payouts.installments.count).toEqual({ confirmed: 1, instructed: 1 });
    expect(body.payouts.installments.fen.confirmed).toBe(paid.paidFen);
    const filedToday = (body.filedPerDay.series as { line: string; count: number }[]).reduce((n, r) => n + r.count, 0);
    expect(filedToday).toBe(6);
  });

  test('the late list names the party holding each claim up: the village for a review, the insurer for an escalation', async () => {
    const { body } = await api('/ops/late');
    const byNo = new Map((body.items as { claimNo: string }[]).map((i) => [i.claimNo, i as Record<string, Json>]));
    expect(byNo.get(planted.waiting)).toMatchObject({
      stage: 'village_review',
      responsible: 'village',
      clock: { breached: true },
    });
    expect(byNo.get(planted.escalated)).toMatchObject({ stage: 'insurer_review', responsible: 'insurer', slaBreached: true });
    expect(byNo.has(planted.paid)).toBe(false);
    expect(byNo.has(planted.rejected)).toBe(false);
    expect(byNo.get(planted.waiting)!.links.temporal).toContain(`/workflows/claim-${planted.waiting}`);
  });

  test('the stuck list gives the pending action and who may take it', async () => {
    const { body } = await api('/ops/stuck');
    const waiting = (body.items as Record<string, Json>[]).find((i) => i.claimNo === planted.waiting);
    expect(waiting).toMatchObject({
      pending: {
        actions: ['review', 'approve', 'return'],
        roles: ['village'],
        jurisdiction: '341324105003',
        waitingOn: 'village',
      },
    });
    expect(waiting!.stuckForMs).toBeGreaterThanOrEqual(2_000);
    expect((body.items as { status: string }[]).every((i) => i.status === 'open')).toBe(true);
  });

  test("failing activities come from Temporal's describe: attempt count, last failure and next retry", async () => {
    // between two attempts Temporal names the next one; while an attempt runs it names none: look between attempts
    const { body, failing } = await pollUntil('the failing activity between two attempts', async () => {
      const { body } = await api('/ops/failing-activities');
      const failing = (body.items as Record<string, Json>[]).find((i) => i.claimNo === planted.failing);
      return failing?.activity.nextAttemptAt ? { body, failing } : undefined;
    });
    expect(failing).toBeDefined();
    expect(failing.activity.activityType).toBe('deliverClaimPackage');
    expect(failing.activity.attempt).toBeGreaterThanOrEqual(2);
    expect(failing.activity.lastFailure).toMatch(/503|5\d\d|unavailable/i);
    expect(Date.parse(failing.activity.nextAttemptAt as string)).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(failing.responsible).toBe('insurer');
    expect((body.items as { claimNo: string }[]).map((i) => i.claimNo)).not.toContain(planted.paid);
  });

  test('a claim is explained in Chinese and English from its state, pending action, clock, activities and trail', async () => {
    const { status, body } = await api(`/ops/claims/${planted.waiting}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      claimNo: planted.waiting,
      workflowId: `claim-${planted.waiting}`,
      stage: 'village_review',
      sla: { breached: true, responsible: 'village' },
      availableActions: ['reassign'],
    });
    expect((body.explanation.zh as string[]).join('')).toContain('村级审核');
    expect((body.explanation.en as string[]).join(' ')).toMatch(/village review.*Waiting on the village/s);
    expect((body.explanation.en as string[]).join(' ')).toMatch(/overdue by .* delayed by the village/);
    expect(body.links.temporal).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/claim-${planted.waiting}`);

    const failing = await api(`/ops/claims/${planted.failing}`);
    expect((failing.body.explanation.en as string[]).join(' ')).toMatch(/deliverClaimPackage is retrying: attempt \d+/);
  });

  test('reassigning is audited and shows on the pending action; a second identical reassignment is refused', async () => {
    const reassign = { reason: '村主任出差，改由副主任办理', assignee: { userId: 'village-deputy-3' } };
    const first = await api(`/ops/claims/${planted.waiting}/actions/reassign`, people.ops, {
      method: 'POST',
      body: JSON.stringify(reassign),
    });
    expect(first.status).toBe(200);
    expect(first.body.pending.assignee).toMatchObject({ userId: 'village-deputy-3', assignedBy: 'ops-1' });
    const again = await api(`/ops/claims/${planted.waiting}/actions/reassign`, people.ops, {
      method: 'POST',
      body: JSON.stringify(reassign),
    });
    expect(again.status).toBe(422);
    const events = await pollUntil('the audit event', async () => {
      const e = await h.claims.events(planted.waiting);
      return e.some((x) => x.action === 'reassign') ? e : undefined;
    });
    expect(events.filter((e) => e.action === 'reassign')).toEqual([
      expect.objectContaining({ actor: { userId: 'ops-1', role: 'ops' }, reason: reassign.reason, fromStage: 'village_review' }),
    ]);
  });

  test('re-sending to the insurer delivers the package again, audited', async () => {
    const received = () => h.insurerSim('cpic-anhui').state.received.get(planted.escalated) ?? 0;
    const before = received();
    expect(before).toBeGreaterThanOrEqual(1);
    const res = await api(`/ops/claims/${planted.escalated}/actions/resendToInsurer`, people.ops, {
      method: 'POST',
      body: JSON.stringify({ reason: '保险公司称未收到材料' }),
    });
    expect(res.status).toBe(200);
    await pollUntil('the resent package', () => Promise.resolve(received() > before ? true : undefined));
    // the audit trail in the read model is written by the workflow a moment after the action
    await pollUntil('the re-send in the audit trail', async () =>
      (await h.claims.events(planted.escalated)).some((e) => e.action === 'resendToInsurer') ? true : undefined,
    );
  });

  test('re-notifying the bank sends the same instruction again and the bank pays it once', async () => {
    const res = await api(`/ops/claims/${planted.paying}/actions/renotifyBank`, people.county, {
      method: 'POST',
      body: JSON.stringify({ reason: '银行未回执' }),
    });
    expect(res.status).toBe(200);
    await pollUntil('the audit event', async () =>
      (await h.claims.events(planted.paying)).some((e) => e.action === 'renotifyBank') ? true : undefined,
    );
    await pollUntil('the re-sent instruction', () => {
      const entry = [...h.bankSim.ledger.values()].find((e) => e.claimNo === planted.paying);
      return Promise.resolve(entry && entry.instructions >= 2 ? true : undefined);
    });
    expect([...h.bankSim.ledger.values()].filter((e) => e.claimNo === planted.paying)).toHaveLength(1);
  });

  test('operator actions are refused outside their stage, to other roles and with bad bodies, writing nothing', async () => {
    const eventsBefore = (await h.claims.events(planted.waiting)).length;
    const wrongStage = await api(`/ops/claims/${planted.waiting}/actions/resendToInsurer`, people.ops, {
      method: 'POST',
      body: JSON.stringify({ reason: 'x' }),
    });
    expect(wrongStage).toMatchObject({ status: 409, body: { code: 'CONFLICT', stage: 'village_review' } });
    const village = await api(`/ops/claims/${planted.waiting}/actions/reassign`, people.village, {
      method: 'POST',
      body: JSON.stringify({ reason: 'x', assignee: { userId: 'someone' } }),
    });
    expect(village.status).toBe(403);
    const bad = await api(`/ops/claims/${planted.waiting}/actions/reassign`, people.ops, {
      method: 'POST',
      body: JSON.stringify({ reason: '', assignee: { userId: 'has spaces' }, extra: 1 }),
    });
    expect(bad.status).toBe(400);
    expect((bad.body.fieldErrors as { path: string }[]).map((e) => e.path).sort()).toEqual(
      expect.arrayContaining(['assignee.userId', 'reason']),
    );
    expect(await h.claims.events(planted.waiting)).toHaveLength(eventsBefore);
    expect((await api('/ops/summary', people.village)).status).toBe(403);
    expect((await api('/ops/summary', people.township)).status).toBe(403);
  });

  test('/metrics exposes HTTP latency by route, open claims by stage, payouts in flight and callback verifications', async () => {
    const text = await (await fetch(`${h.apiUrl}/metrics`)).text();
    expect(text).toMatch(/fangpin_http_request_duration_seconds_bucket\{[^}]*route="\/ops\/summary"/);
    expect(text).toMatch(/fangpin_open_claims\{stage="village_review"\} [1-9]/);
    expect(text).not.toMatch(/fangpin_open_claims\{stage="closed"\}/);
    expect(text).toMatch(/fangpin_payout_installments\{outcome="instructed"\} 1/); // the claim the bank holds
    expect(text).toMatch(/fangpin_partner_callback_verifications_total\{partner="bank",result="ok"\} [1-9]/);
    expect(text).toMatch(/fangpin_partner_callback_verifications_total\{partner="insurer",result="ok"\} [1-9]/);
    expect(text).toMatch(/fangpin_payout_results_total\{status="confirmed",outcome="applied"\} 1/);
    expect(text).toMatch(/fangpin_api_process_resident_memory_bytes/);
    expect(text).not.toMatch(/FP-\d{8}/); // no claim numbers (or other ids) in labels
  });

  test('every log line about a claim carries claimNo and workflowId', () => {
    const claimNos = Object.values(planted);
    const aboutClaims = logLines.filter((line) => claimNos.some((no) => JSON.stringify(line).includes(no)));
    expect(aboutClaims.length).toBeGreaterThan(10);
    for (const line of aboutClaims) {
      expect(line).toMatchObject({ claimNo: expect.stringMatching(/^FP-/), workflowId: `claim-${line.claimNo as string}` });
    }
    expect(logLines.some((l) => l.msg === 'activity attempt failed' && l.claimNo === planted.failing)).toBe(true);
  });
});
