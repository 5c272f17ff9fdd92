import { pollUntil } from '../../common/poll';
import { addDays, shanghaiDateOf } from '../../domain/dates';
import type { Household } from '../../domain/household';
import { monitoringWorkflowId } from '../../workflows/monitoring/messages';
import type { Actor } from '../../workflows/claim/types';
import { people, startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { recordWorkflowHistory } from '../helpers/histories';
import { referralsApi } from '../helpers/referrals-api';

/**
 * Risk elimination (风险消除) mirrors inclusion: a village proposes it for a monitored household, and it runs through
 * verification, data comparison, appraisal and notice, township review and the county's decision. A household with
 * nobody able to work is not cleared (domain.md): refused when proposed, and refused again when agreed to after the
 * household changed.
 */
describe('risk elimination (风险消除) of a monitored household', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  const { api, procedure } = referralsApi(() => h);
  const authorization = async () =>
    (
      await h.stores.documents.store(Buffer.from(`%PDF-1.4 授权书 ${Math.random()}`), 'application/pdf', {
        userId: people.filer.userId,
        jurisdiction: people.filer.jurisdiction,
      })
    ).document.sha256;
  /** The fixture household (脱贫户, monitored as 脱贫不稳定户 since 2026-09-01) with its members' labour capacity. */
  const monitoredHousehold = (labour: NonNullable<Household['members'][number]['labour']>[]) =>
    h.newHousehold().then(async (household) => {
      const withLabour = { ...household, members: household.members.map((m, i) => ({ ...m, labour: labour[i] ?? 'none' })) };
      await h.stores.households.save(withLabour);
      return withLabour;
    });
  /** Proposed by the village; through verification, appraisal (eliminate) and notice, to the township's approval. */
  async function toCountyDecision(householdId: string) {
    const opened = await api(people.filer, '/referrals', {
      kind: 'elimination',
      householdId,
      reason: '务工收入稳定，已消除返贫风险',
    });
    expect(opened).toMatchObject({ status: 202, body: { kind: 'elimination', status: 'open' } });
    const referralId = opened.body.referralId as string;
    const act = (actor: Actor, action: string, body: unknown) => api(actor, `/referrals/${referralId}/actions/${action}`, body);
    await procedure(referralId, 'verification');
    await act(people.filer, 'verify', { findings: '入户核实：家中两人外出务工', authorizationSha256: await authorization() });
    await procedure(referralId, 'village_appraisal');
    expect((await act(people.filer, 'appraise', { include: true, category: 'monitored_unstable', reason: '错' })).status).toBe(
      400,
    );
    expect((await act(people.filer, 'appraise', { eliminate: true, reason: '收入稳定超过监测标准' })).body.stage).toBe(
      'public_notice',
    );
    await procedure(referralId, 'township_review');
    expect((await act(people.township, 'review', { approve: true, reason: '核查属实' })).body.stage).toBe('county_decision');
    return { referralId, act };
  }

  it('refuses to propose it for a household nobody in which can work, or one not monitored, and writes nothing', async () => {
    const none = await monitoredHousehold(['lost', 'none', 'none']);
    const refused = await api(people.filer, '/referrals', { kind: 'elimination', householdId: none.householdId, reason: '申请' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ reason: 'NO_LABOUR_CAPACITY' });
    expect(String(refused.body.detail)).toContain('整户无劳动能力');
    expect(await h.stores.referrals.openFor(none.householdId)).toBeNull();

    const ordinary = await h.newHousehold({ categoryHistory: [{ category: 'poverty_alleviated', from: '2018-12-01' }] });
    const notMonitored = await api(people.filer, '/referrals', {
      kind: 'elimination',
      householdId: ordinary.householdId,
      reason: '申请',
    });
    expect(notMonitored).toMatchObject({ status: 422, body: { reason: 'NOT_MONITORED' } });
    // a clue for inclusion of a household monitored already is refused too; an unknown household names the field
    expect(
      (await api(people.filer, '/referrals', { kind: 'inclusion', householdId: none.householdId, reason: '线索' })).body,
    ).toMatchObject({ reason: 'ALREADY_MONITORED' });
    const unknown = await api(people.filer, '/referrals', { kind: 'elimination', householdId: 'HH-none-0000', reason: '申请' });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toContain('householdId');
  }, 60_000);

  it('clears a household someone in which can work: back to 脱贫户 from the decision date, one referral at a time', async () => {
    const household = await monitoredHousehold(['ordinary', 'weak', 'none']);
    const { referralId, act } = await toCountyDecision(household.householdId);
    // a second proposal while this one is open names it
    const again = await api(people.filer, '/referrals', {
      kind: 'elimination',
      householdId: household.householdId,
      reason: '重复',
    });
    expect(again).toMatchObject({ status: 409, body: { openReferralId: referralId } });

    expect((await act(people.township, 'decide', { eliminate: true, reason: '同意' })).status).toBe(403);
    const decided = await act(people.county, 'decide', { eliminate: true, reason: '比对审定：风险消除' });
    expect(decided.body).toMatchObject({ stage: 'closed', outcome: 'eliminated', decision: { eliminate: true } });
    const today = shanghaiDateOf(new Date());
    const changed = await pollUntil('the category after elimination', async () => {
      const found = await h.stores.households.find(household.householdId);
      return found?.categoryHistory.length === 3 ? found : undefined;
    });
    expect(changed.categoryHistory).toEqual([
      household.categoryHistory[0],
      { category: 'monitored_unstable', from: '2026-09-01', to: addDays(today, -1), reason: '纳入监测' },
      { category: 'poverty_alleviated', from: today, reason: `风险消除（${referralId}）` },
    ]);
    await pollUntil('the referral closed', async () =>
      (await h.stores.referrals.find(referralId))?.status === 'eliminated' ? true : undefined,
    );
    const seen = await api(people.county, `/referrals/${referralId}`);
    expect(seen.body).toMatchObject({ kind: 'elimination', status: 'eliminated', triggers: [{ rule: 'RISK_ELIMINATION' }] });
    await pollUntil('the procedure finished', async () =>
      (await h.client.workflow.getHandle(monitoringWorkflowId(referralId)).describe()).status.name === 'COMPLETED'
        ? true
        : undefined,
    );
    await recordWorkflowHistory(h.client, monitoringWorkflowId(referralId), 'monitoring-eliminated');
  }, 150_000);

  it('refuses to agree once the household has nobody able to work, and a decision not to clear keeps the category', async () => {
    const household = await monitoredHousehold(['ordinary', 'none', 'none']);
    const { referralId, act } = await toCountyDecision(household.householdId);
    // the worker of the household is injured before the decision: recorded as having lost labour capacity
    await h.stores.households.save({
      ...household,
      members: household.members.map((m) => ({ ...m, labour: m.memberId === 'm1' ? ('lost' as const) : m.labour })),
    });
    const refused = await act(people.county, 'decide', { eliminate: true, reason: '同意' });
    expect(refused).toMatchObject({ status: 422, body: { reason: 'NO_LABOUR_CAPACITY' } });
    expect((await procedure(referralId, 'county_decision')).outcome).toBe('open');
    const kept = await act(people.county, 'decide', { eliminate: false, reason: '整户无劳动能力，落实兜底保障' });
    expect(kept.body).toMatchObject({ outcome: 'not_eliminated' });
    await pollUntil('the referral closed', async () =>
      (await h.stores.referrals.find(referralId))?.status === 'not_eliminated' ? true : undefined,
    );
    const after = await h.stores.households.find(household.householdId);
    expect(after?.categoryHistory).toEqual(household.categoryHistory);
  }, 150_000);
});
