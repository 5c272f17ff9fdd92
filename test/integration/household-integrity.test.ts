/**
 * Household record integrity over HTTP: every change is a dated, attributed version; changes that decide who is
 * insured, in which category and where the money goes wait for a second person; a running claim works on the
 * household as filed and is warned of the changes that matter to it.
 */
import { pollUntil } from '../../common/poll';
import type { Household } from '../../domain/household';
import type { Actor } from '../../workflows/claim/types';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import type { HouseholdVersion, PendingChange } from '../../db/repositories/households';
import { claimSnapshotModel } from '../../db/models/claim-snapshot';

/** What the household endpoints answer, as far as these tests read it. */
interface Answer {
  changeId: string;
  status: string;
  needsApprovalFor: { change: string; zh: string }[];
  versions: HouseholdVersion[];
  pending: Omit<PendingChange, 'proposed'>[];
  fieldErrors: { path: string }[];
  failure: string;
}
type HistoryBody = Pick<Answer, 'versions' | 'pending'>;

describe('household record integrity on the real servers', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  async function call(actor: Actor, method: string, path: string, body?: unknown): Promise<{ status: number; body: Answer }> {
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokenFor(actor)}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  }
  const put = (actor: Actor, household: Household, reason?: string) =>
    call(actor, 'PUT', `/households/${household.householdId}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`, household);

  test('when the filing clerk rewrites the category history, then nothing changes until another person approves it', async () => {
    const household = await h.newHousehold();
    const ordinary: Household = { ...household, categoryHistory: [{ category: 'ordinary', from: '2018-01-01' }] };
    const withoutReason = await put(people.filer, ordinary);
    expect(withoutReason).toMatchObject({ status: 400, body: { fieldErrors: [{ path: 'reason' }] } });

    const asked = await put(people.filer, ordinary, '核查发现户类别登记有误');
    expect(asked).toMatchObject({
      status: 202,
      body: { status: 'pending', needsApprovalFor: [{ change: 'category', zh: '户类别变更' }] },
    });
    const changeId = asked.body.changeId;
    expect((await h.households.find(household.householdId))?.categoryHistory).toEqual(household.categoryHistory);

    const self = await call(people.filer, 'POST', `/households/${household.householdId}/changes/${changeId}/approve`, {});
    expect(self).toMatchObject({ status: 403, body: { failure: 'ERR_SELF_APPROVAL' } });
    const outsider = await call(
      people.otherVillage,
      'POST',
      `/households/${household.householdId}/changes/${changeId}/approve`,
      {},
    );
    expect(outsider.status).toBe(404); // as a household that does not exist
    const approved = await call(people.village, 'POST', `/households/${household.householdId}/changes/${changeId}/approve`, {
      reason: '已入户核实',
    });
    expect(approved).toMatchObject({ status: 200, body: { status: 'applied' } });
    expect((await h.households.find(household.householdId))?.categoryHistory).toEqual(ordinary.categoryHistory);

    const history = await call(people.township, 'GET', `/households/${household.householdId}/changes`);
    expect(history.body.pending).toEqual([]);
    expect(history.body.versions[0]).toMatchObject({
      changeId,
      status: 'applied',
      by: { userId: people.filer.userId },
      approvedBy: people.village.userId,
      reason: '核查发现户类别登记有误',
      decisionReason: '已入户核实',
      fields: ['categoryHistory'],
      sensitive: ['category'],
      before: { categoryHistory: household.categoryHistory },
      after: { categoryHistory: ordinary.categoryHistory },
    });
    // a repeated decision answers with what happened, and changes nothing more
    const again = await call(people.village, 'POST', `/households/${household.householdId}/changes/${changeId}/approve`, {});
    expect(again).toMatchObject({ status: 200, body: { status: 'applied' } });
    expect((await call(people.township, 'GET', `/households/${household.householdId}/changes`)).body.versions).toHaveLength(
      (history.body as HistoryBody).versions.length,
    );
  });

  test('when a change needs no approval, then it applies at once and is traced; an unchanged record writes nothing', async () => {
    const household = await h.newHousehold({ enrollments: [] });
    const enrolled: Household = { ...household, enrollments: [{ policyYear: 2026, line: 'property', enrolledOn: '2026-05-31' }] };
    expect((await put(people.filer, enrolled)).status).toBe(200);
    expect((await h.households.find(household.householdId))?.enrollments).toEqual(enrolled.enrollments);
    expect((await put(people.filer, enrolled)).status).toBe(200);
    const { body } = await call(people.filer, 'GET', `/households/${household.householdId}/changes`);
    expect((body as HistoryBody).versions.map((v) => [v.fields, v.by.userId])).toEqual([
      [['enrollments'], people.filer.userId],
      [expect.arrayContaining(['members', 'categoryHistory']), 'system'],
    ]);
    // card numbers and resident IDs never appear in the trace
    expect(JSON.stringify(body)).not.toContain(household.payoutAccount.cardNumber);
    expect(JSON.stringify(body)).not.toContain(household.members[0]!.residentId);
  });

  test('when a claim is filed after a change, then its snapshot holds the record and the version it was filed against', async () => {
    const household = await h.newHousehold({ enrollments: [] });
    const enrolled: Household = { ...household, enrollments: [{ policyYear: 2026, line: 'property', enrolledOn: '2026-05-31' }] };
    expect((await put(people.filer, enrolled)).status).toBe(200);
    const current = await h.households.findVersioned(household.householdId);
    expect(current?.version).toBeGreaterThan(0);
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer);
    const snapshot = await claimSnapshotModel(h.mongo).findById(claimNo).lean();
    expect(snapshot).toMatchObject({ householdId: household.householdId, householdVersion: current?.version });
    expect((await h.households.asFiled(claimNo, household.householdId))?.enrollments).toEqual(enrolled.enrollments);
    // a later change is the record's, not the claim's
    expect((await put(people.filer, { ...enrolled, enrollments: [] })).status).toBe(200);
    expect((await h.households.asFiled(claimNo, household.householdId))?.enrollments).toEqual(enrolled.enrollments);
  });

  test('when a change was asked for on a record that changed since, then approving it is refused as stale', async () => {
    const household = await h.newHousehold();
    const card = (n: string): Household => ({ ...household, payoutAccount: { ...household.payoutAccount, cardNumber: n } });
    const first = await put(people.filer, card('6217000010005555555'), '换卡');
    const second = await put(people.filer, card('6217000010006666666'), '再换卡');
    expect([first.status, second.status]).toEqual([202, 202]);
    const path = (id: string) => `/households/${household.householdId}/changes/${id}/approve`;
    expect((await call(people.county, 'POST', path(first.body.changeId), {})).status).toBe(200);
    expect((await call(people.county, 'POST', path(second.body.changeId), {})).status).toBe(409);
    expect((await h.households.find(household.householdId))?.payoutAccount.cardNumber).toBe('6217000010005555555');
    const rejected = await call(
      people.county,
      'POST',
      `/households/${household.householdId}/changes/${second.body.changeId}/reject`,
      {
        reason: '重复申请',
      },
    );
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected' } });
  });

  test('when the insured leaves the household while the claim is in flight, then the claim goes on as filed, warned for its reviewers', async () => {
    const household = await h.newHousehold();
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId, { memberId: 'm2' }), people.filer);
    await h.waitFor(claimNo, 'village_review');
    const without: Household = { ...household, members: household.members.filter((m) => m.memberId !== 'm2') };
    const asked = await put(people.filer, without, '成员迁出');
    expect((asked.body as { needsApprovalFor: { change: string }[] }).needsApprovalFor.map((n) => n.change)).toEqual([
      'member_removed',
    ]);
    await call(people.township, 'POST', `/households/${household.householdId}/changes/${asked.body.changeId}/approve`, {});

    const warned = await h.waitFor(claimNo, 'village_review', (s) => (s.householdWarnings ?? []).length > 0);
    expect(warned.householdWarnings).toEqual([
      expect.objectContaining({ code: 'MEMBER_REMOVED_AFTER_FILING', changeId: asked.body.changeId }),
    ]);
    expect(warned.history.at(-1)).toMatchObject({ action: 'household_changed', reason: 'MEMBER_REMOVED_AFTER_FILING' });
    await pollUntil('the change recorded as told', async () => {
      const history = await h.households.history(household.householdId);
      return history?.versions[0]?.notified ? true : undefined;
    });

    // the claim works on the household as filed: the removed member's package still reaches the insurer, and it pays
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review');
    await h.service.act(claimNo, { action: 'approve', actor: people.township });
    await h.service.act(claimNo, { action: 'approve', actor: people.county });
    expect(await h.waitFor(claimNo, 'closed')).toMatchObject({ status: 'paid', paidFen: 750_000 });
    const sent = h.insurerSim().state.packages.find((p) => p.claimNo === claimNo);
    expect(sent?.insured.memberId).toBe('m2');
  });

  test('when a change was applied but its claims were never told (a crash in between), then the sweep tells them once', async () => {
    const household = await h.newHousehold();
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    // the record changes as a crashed API would leave it: applied and traced, its claims not told
    const result = await h.households.propose(
      { ...household, members: household.members.map((m) => (m.memberId === 'm1' ? { ...m, leftOn: '2026-06-15' } : m)) },
      { by: { userId: 'u', role: 'village' }, approvedBy: 'u2', source: { kind: 'household_api' } },
    );
    expect(result).toMatchObject({ status: 'applied', version: { notified: false } });
    expect(await h.service.tellUntoldChanges()).toBeGreaterThanOrEqual(1);
    expect(await h.service.tellUntoldChanges()).toBe(0);
    const warned = await h.waitFor(claimNo, 'village_review', (s) => (s.householdWarnings ?? []).length > 0);
    expect(warned.householdWarnings).toEqual([expect.objectContaining({ code: 'MEMBER_LEFT_AFTER_FILING' })]);
    expect(warned.householdWarnings?.[0]?.zh).toContain('2026-06-15');
  });
});
