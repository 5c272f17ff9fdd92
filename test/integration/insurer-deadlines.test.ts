import { pollUntil } from '../../common/poll';
import type { ClaimState } from '../../workflows/claim/types';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, workerProcessEnv, type ClaimHarness } from '../helpers/claim-harness';
import { recordClaimRun, setsSearchAttribute } from '../helpers/histories';
import { workerProcesses } from '../helpers/processes';

const REMIND_MS = 5_000;
const ESCALATE_MS = 12_000;

/**
 * An insurer that stays silent while no worker runs: when a worker comes back after several reminders and the
 * escalation fell due, the claim gets them in the order they fell due, and one reminder for all that were missed.
 */
describe("an insurer's deadlines that fell due while no worker ran", () => {
  let h: ClaimHarness;
  const workers = workerProcesses();

  beforeAll(async () => {
    h = await startClaimHarness({ inProcessWorker: false });
  });
  afterAll(async () => {
    workers.killAll();
    await h.stop();
  });

  const startWorker = () => workers.start(workerProcessEnv(h));

  const actionsAfter = (state: ClaimState, ms: number) =>
    state.history.filter((e) => Date.parse(e.at) > ms).map((e) => ({ action: e.action, at: Date.parse(e.at) }));

  test('are met in that order: one reminder for all that were missed, then the escalation, the next reminder a period later', async () => {
    const first = startWorker();
    const household = await h.newHousehold();
    const slow = h.serviceWith({
      insurerRemindAfterMs: {
        crop: REMIND_MS,
        health: REMIND_MS,
        accident: REMIND_MS,
        property: REMIND_MS,
        education: REMIND_MS,
      },
      insurerEscalateAfterMs: {
        crop: ESCALATE_MS,
        health: ESCALATE_MS,
        accident: ESCALATE_MS,
        property: ESCALATE_MS,
        education: ESCALATE_MS,
      },
      noticeMs: 200,
    });
    const { claimNo } = await slow.file(aPropertyClaim(household.householdId), people.filer);
    const scripted = await fetch(`${h.insurerUrl('picc-suzhou')}/_sim/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ claimNo, decisions: [{ outcome: 'approved_full', delayMs: 600_000 }] }),
    });
    expect(scripted.status).toBe(204);
    await h.waitFor(claimNo, 'village_review', undefined, 60_000);
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review');
    await h.service.act(claimNo, { action: 'approve', actor: people.township });
    await h.service.act(claimNo, { action: 'approve', actor: people.county });
    const sent = await h.waitFor(claimNo, 'insurer_review', (s) => !!s.insurer.deliveredAt);

    // no worker from here until three reminders (5, 10, 15 s after the delivery) and the escalation (12 s) fell due
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const killedAt = Date.now();
    const deliveredAt = Date.parse(sent.insurer.deliveredAt!);
    await pollUntil('every deadline to fall due', () => (Date.now() > deliveredAt + 3 * REMIND_MS + 1_000 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    startWorker();

    const escalated = await h.waitFor(claimNo, 'insurer_review', (s) => s.slaBreached, 60_000);
    const sinceKill = actionsAfter(escalated, killedAt);
    expect(sinceKill.slice(0, 2).map((e) => e.action)).toEqual(['insurer_reminded', 'sla_escalated']);
    expect(escalated.history.filter((e) => e.action === 'sla_escalated')).toHaveLength(1);

    // the reminders go on, each a period after the last one sent (not the missed ones, one after another)
    const reminded = await h.waitFor(
      claimNo,
      'insurer_review',
      (s) => actionsAfter(s, killedAt).filter((e) => e.action === 'insurer_reminded').length >= 2,
      60_000,
    );
    const [late, next] = actionsAfter(reminded, killedAt).filter((e) => e.action === 'insurer_reminded');
    expect(next!.at - late!.at).toBeGreaterThanOrEqual(REMIND_MS);

    // an operator's resend counts as a reminder: the next automatic one falls a period after it
    await h.service.act(claimNo, { action: 'resendToInsurer', actor: people.ops, reason: '保险公司称未收到材料' });
    const resendAt = (s: ClaimState) => actionsAfter(s, killedAt).find((e) => e.action === 'resendToInsurer')?.at;
    const remindedAfterResend = (s: ClaimState) =>
      actionsAfter(s, resendAt(s) ?? Infinity).find((e) => e.action === 'insurer_reminded')?.at;
    const afterResend = await h.waitFor(claimNo, 'insurer_review', (s) => !!remindedAfterResend(s), 60_000);
    expect(remindedAfterResend(afterResend)! - resendAt(afterResend)!).toBeGreaterThanOrEqual(REMIND_MS);

    await h.service.act(claimNo, { action: 'withdraw', actor: people.filer, reason: 'test cleanup' });
    await h.waitFor(claimNo, 'closed');
    // the run that escalated, after its worker's outage: replayed by every later version of the workflow
    await recordClaimRun(h.client, claimNo, 'insurer-deadlines-after-outage', setsSearchAttribute('SlaBreached', true));
  }, 180_000);
});
