import { pollUntil } from '../../common/poll';
import { shanghaiDateOf, addDays } from '../../domain/dates';
import type { MonitoringState } from '../../workflows/monitoring/machine';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { Actor } from '../../workflows/claim/types';
import { monitoringWorkflowId } from '../../workflows/monitoring/messages';
import { newReferralId } from '../../db/repositories/referrals';
import { maskName } from '../../domain/masking';
import { recordWorkflowHistory } from '../helpers/histories';
import { referralsApi } from '../helpers/referrals-api';

/** The village head: a second village cadre beside the filer, so the appraisal can be made by another person. */
const villageHead = people.village;

describe('the monitoring procedure of a referral (防返贫动态监测), from clue to the county’s decision', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  const { api, procedure } = referralsApi(() => h);

  /** A household whose ¥30,000 storm loss was paid: its referral's procedure runs. */
  async function referralOfPaidLoss(service: ReturnType<ClaimHarness['serviceWith']>) {
    const household = await h.newHousehold({
      categoryHistory: [{ category: 'poverty_alleviated', from: '2018-12-01', reason: '脱贫' }],
    });
    const { claimNo } = await service.file(
      aPropertyClaim(household.householdId, { loss: { line: 'property', cause: 'storm', assessedLossFen: 3_000_000 } }),
      people.filer,
    );
    await h.throughCounty(claimNo, service);
    await h.waitFor(claimNo, 'closed', (s) => s.history.some((e) => e.action === 'referral_raised'), 60_000);
    const referralId = (await h.stores.referrals.openFor(household.householdId))!.referralId;
    return { household, referralId };
  }
  const uploadedAuthorization = async () =>
    (
      await h.stores.documents.store(Buffer.from(`%PDF-1.4 授权书 ${Math.random()}`), 'application/pdf', {
        userId: people.filer.userId,
        jurisdiction: people.filer.jurisdiction,
      })
    ).document.sha256;

  it('prints the village’s notice of the appraisals under notice: the head’s name masked, the proposal, no findings', async () => {
    const household = await h.newHousehold();
    const referralId = newReferralId(new Date());
    // a clue opened as the API opens one, with a notice long enough to read it
    await h.client.workflow.start('monitoringWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: monitoringWorkflowId(referralId),
      args: [
        {
          referralId,
          kind: 'inclusion',
          householdId: household.householdId,
          divisionCode: household.divisionCode,
          openedAt: new Date().toISOString(),
          timings: { noticeMs: 600_000, decisionDueMs: 15 * 86_400_000, activityTimeoutMs: 5_000 },
          opening: { by: { userId: people.filer.userId, role: 'village' }, reason: '农户申报：住院费用负担重' },
        },
      ],
    });
    const act = (actor: Actor, action: string, body: unknown) => api(actor, `/referrals/${referralId}/actions/${action}`, body);
    await procedure(referralId, 'verification');
    await act(people.filer, 'verify', { findings: '入户核实：长期住院', authorizationSha256: await uploadedAuthorization() });
    await procedure(referralId, 'village_appraisal');
    const appraised = await act(people.filer, 'appraise', {
      include: true,
      category: 'monitored_unstable',
      reason: '患慢性病长期住院，医疗支出大',
    });
    expect(appraised.body.stage).toBe('public_notice');

    const village = household.divisionCode;
    type Notice = {
      rounds: {
        startedOn: string;
        endsOn: string;
        entries: { referralId: string; name: string; members: number; proposal: { zh: string } }[];
      }[];
    };
    const notice = await pollUntil('the appraisal on the village notice', async () => {
      const { body } = await api(people.village, `/notices/${village}/monitoring`);
      const found = (body as unknown as Notice).rounds.flatMap((r) => r.entries).find((e) => e.referralId === referralId);
      return found ? (body as unknown as Notice) : undefined;
    });
    const head = household.members.find((m) => m.relation === 'head')!;
    const entry = notice.rounds.flatMap((r) => r.entries).find((e) => e.referralId === referralId)!;
    expect(entry).toEqual({
      referralId,
      name: maskName(head.name),
      members: household.members.length,
      proposal: expect.objectContaining({ zh: '拟纳入监测对象（脱贫不稳定户）' }),
    });
    const text = JSON.stringify(notice);
    expect(text).not.toContain(head.name);
    expect(text).not.toContain('住院');
    expect(text).not.toContain(head.residentId);

    const pdf = await fetch(`${h.apiUrl}/notices/${village}/monitoring/pdf`, {
      headers: { authorization: `Bearer ${await tokenFor(people.village)}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await api(people.otherVillage, `/notices/${village}/monitoring`)).status).toBe(404);
    await h.client.workflow.getHandle(monitoringWorkflowId(referralId)).terminate('test done');
  }, 120_000);

  it('escalates a referral left past its deadline, and a decision not to include keeps its reasons and the category', async () => {
    const { household, referralId } = await referralOfPaidLoss(h.serviceWith({ noticeMs: 1_000, monitoringDueMs: 2_000 }));
    const act = (actor: Actor, action: string, body: unknown) => api(actor, `/referrals/${referralId}/actions/${action}`, body);
    const late = await pollUntil('the escalation', async () => {
      const state = (await api(people.county, `/referrals/${referralId}`)).body.procedure as MonitoringState | null;
      return state?.slaBreached ? state : undefined;
    });
    expect(late.history.at(-1)).toMatchObject({ action: 'sla_escalated', fromStage: 'verification', toStage: 'verification' });
    // reminded first, two thirds of the way, with the party that must act
    const reminded = late.history.findIndex((e) => e.action === 'sla_reminded');
    expect(reminded).toBeGreaterThanOrEqual(0);
    expect(reminded).toBeLessThan(late.history.length - 1);
    expect(late.history[reminded]!.reason).toMatch(/将至，请村级尽快办理$/);
    // ops see it among the late referrals, waiting on the village
    type LateView = {
      byParty: Record<string, number>;
      items: { referralId: string; responsible: string; stageLabel: unknown }[];
    };
    const lateView = async () => (await api(people.ops, '/ops/referrals/late')).body as unknown as LateView;
    const listed = await pollUntil('the late view lists it', async () => {
      const view = await lateView();
      return view.items.find((i) => i.referralId === referralId) ? view : undefined;
    });
    expect(listed.items.find((i) => i.referralId === referralId)).toMatchObject({
      responsible: 'village',
      stageLabel: { zh: '入户核查' },
    });
    expect(listed.byParty.village).toBeGreaterThanOrEqual(1);
    await act(people.filer, 'verify', { findings: '入户核实', authorizationSha256: await uploadedAuthorization() });
    await procedure(referralId, 'village_appraisal');
    await act(people.filer, 'appraise', { include: false, reason: '已获赔付，收入稳定' });
    await procedure(referralId, 'township_review');
    await act(people.township, 'review', { approve: true, reason: '同意不纳入' });
    const decided = await act(people.county, 'decide', { include: false, reason: '人均纯收入高于监测标准' });
    expect(decided.body).toMatchObject({ outcome: 'not_included', decision: { reason: '人均纯收入高于监测标准' } });
    await pollUntil('the referral closed', async () =>
      (await h.stores.referrals.find(referralId))?.status === 'not_included' ? true : undefined,
    );
    expect((await h.stores.households.find(household.householdId))?.categoryHistory).toEqual(household.categoryHistory);
    expect((await lateView()).items.map((i) => i.referralId)).not.toContain(referralId);
    expect((await api(people.county, `/referrals/${referralId}`)).body.procedure).toMatchObject({
      outcome: 'not_included',
      decision: { reason: '人均纯收入高于监测标准' },
    });
  }, 120_000);

  it('runs through every step with different people, and the household is monitored from the decision date on', async () => {
    // a ¥30,000 storm loss: paid, it raises a referral, and the referral's procedure starts
    const { household, referralId } = await referralOfPaidLoss(h.serviceWith({ noticeMs: 3_000 }));
    await procedure(referralId, 'verification');

    // 入户核查: the village, with the household's signed authorization uploaded
    const act = (actor: Actor, action: string, body: unknown) => api(actor, `/referrals/${referralId}/actions/${action}`, body);
    const findings = { findings: '入户核实：房屋受损严重，暂住亲属家', authorizationSha256: 'a'.repeat(64) };
    expect((await act(people.filer, 'verify', findings)).status).toBe(422); // no such upload
    const { document } = await h.stores.documents.store(Buffer.from('%PDF-1.4 授权书'), 'application/pdf', {
      userId: people.filer.userId,
      jurisdiction: people.filer.jurisdiction,
    });
    const signed = { ...findings, authorizationSha256: document.sha256 };
    expect((await act(people.township, 'verify', signed)).status).toBe(403);
    expect((await act(people.otherVillage, 'verify', signed)).status).toBe(404);
    expect((await act(people.filer, 'verify', signed)).status).toBe(200);

    // 部门数据比对 by itself, then 村级评议 and the notice; an objection sends it back to the village
    const compared = await procedure(referralId, 'village_appraisal');
    expect(compared.comparison?.summary).toContain('医保结算');
    const include = { include: true, category: 'monitored_sudden_hardship', reason: '因灾房屋受损，基本生活出现严重困难' };
    expect((await act(people.filer, 'appraise', { include: true, reason: '无类别' })).status).toBe(422);
    expect((await act(people.filer, 'appraise', include)).body.stage).toBe('public_notice');
    const objected = await act(people.township, 'object', { objector: '村民王某', reason: '对损失程度有异议' });
    expect(objected.body).toMatchObject({ stage: 'village_appraisal', objections: [{ objector: '村民王某' }] });
    expect((await act(villageHead, 'appraise', include)).body.stage).toBe('public_notice');
    expect((await act(people.township, 'review', { approve: true, reason: '同意' })).status).toBe(409); // notice runs
    await procedure(referralId, 'township_review');

    // 乡镇初审 and 县级审定
    expect((await act(villageHead, 'review', { approve: true, reason: '同意' })).status).toBe(403);
    expect((await act(people.township, 'review', { approve: true, reason: '核查属实' })).body.stage).toBe('county_decision');
    const decided = await act(people.county, 'decide', { ...include, reason: '比对审定：纳入突发严重困难户' });
    expect(decided.body).toMatchObject({ stage: 'closed', outcome: 'included' });
    const today = shanghaiDateOf(new Date());

    // the household's category from the decision date, through the versioned change path; the referral closed
    const changed = await pollUntil('the new category', async () => {
      const found = await h.stores.households.find(household.householdId);
      return found?.categoryHistory.length === 2 ? found : undefined;
    });
    expect(changed.categoryHistory).toEqual([
      { category: 'poverty_alleviated', from: '2018-12-01', to: addDays(today, -1), reason: '脱贫' },
      { category: 'monitored_sudden_hardship', from: today, reason: `纳入突发严重困难户（${referralId}）` },
    ]);
    const versions = await api(people.county, `/households/${household.householdId}/changes`);
    expect(JSON.stringify(versions.body)).toContain('monitoring_decision');
    await pollUntil('the referral closed', async () =>
      (await h.stores.referrals.find(referralId))?.status === 'included' ? true : undefined,
    );
    expect(await h.stores.referrals.openFor(household.householdId)).toBeNull();

    // a claim for an event before the decision date still sees the old category; one from that date the new one
    const before = await h.service.preview(
      aPropertyClaim(household.householdId, { eventDate: addDays(today, -3), reportDate: today }),
      people.filer,
    );
    const after = await h.service.preview(
      aPropertyClaim(household.householdId, { eventDate: today, reportDate: today }),
      people.filer,
    );
    expect(before).toMatchObject({ eligible: true, category: 'poverty_alleviated' });
    expect(after).toMatchObject({ eligible: true, category: 'monitored_sudden_hardship' });
    await pollUntil('the procedure finished', async () =>
      (await h.client.workflow.getHandle(monitoringWorkflowId(referralId)).describe()).status.name === 'COMPLETED'
        ? true
        : undefined,
    );
    await recordWorkflowHistory(h.client, monitoringWorkflowId(referralId), 'monitoring-included');
  }, 150_000);
});
