import { formatDuration, formatShanghai } from '../../domain/dates';
import { slaClock, stageAllowanceMs, type SlaPolicy } from '../../domain/sla';
import { STAGES } from '../../domain/lifecycle';
import { explain } from '../../api/views/explanation';

const DAY = 86_400_000;
const policy: SlaPolicy = {
  reviewMs: 5 * DAY,
  systemMs: 3_600_000,
  payoutMs: 3 * DAY,
  noticeMs: 7 * DAY,
  documentsDueMs: 15 * DAY,
  insurerEscalateAfterMs: { crop: 30 * DAY, health: 20 * DAY, accident: 30 * DAY, property: 30 * DAY, education: 30 * DAY },
};

describe('SLA clocks', () => {
  test('every open stage has an allowance; closed has none; the insurer clock is per line', () => {
    for (const stage of STAGES) {
      expect(stageAllowanceMs(policy, stage, 'crop') === undefined).toBe(stage === 'closed');
    }
    expect(stageAllowanceMs(policy, 'insurer_review', 'health')).toBe(20 * DAY);
    expect(stageAllowanceMs(policy, 'public_notice', 'crop')).toBe(7 * DAY + 3_600_000);
    expect(stageAllowanceMs(policy, 'township_review', 'crop')).toBe(5 * DAY);
  });

  test('a clock is due at entry + allowance and counts how long it is overdue', () => {
    const claim = { stage: 'village_review' as const, line: 'crop' as const, stageSince: '2026-11-20T00:00:00.000Z' };
    expect(slaClock(policy, claim, new Date('2026-11-24T00:00:00.000Z'))).toEqual({
      allowanceMs: 5 * DAY,
      dueAt: '2026-11-25T00:00:00.000Z',
      breached: false,
      overdueMs: 0,
    });
    expect(slaClock(policy, claim, new Date('2026-11-26T06:00:00.000Z'))).toMatchObject({
      breached: true,
      overdueMs: 30 * 3_600_000,
    });
    expect(slaClock(policy, { ...claim, stage: 'closed' }, new Date())).toEqual({
      allowanceMs: null,
      dueAt: null,
      breached: false,
      overdueMs: 0,
    });
  });

  test('durations and times read naturally in both languages, times in Asia/Shanghai', () => {
    expect(formatDuration(30 * 3_600_000, 'en')).toBe('1 d 6 h');
    expect(formatDuration(30 * 3_600_000, 'zh')).toBe('1天6小时');
    expect(formatDuration(61_000, 'en')).toBe('1 min 1 s');
    expect(formatDuration(0, 'zh')).toBe('0秒');
    expect(formatShanghai('2026-11-28T17:30:00.000Z')).toBe('2026-11-29 01:30');
  });

  test('an explanation names the stage, who must act, the deadline and the party at fault, and retrying steps', () => {
    const text = explain({
      claimNo: 'FP-20261129-341324-000001',
      stage: 'township_review',
      line: 'health',
      status: 'open',
      stageSince: '2026-11-20T00:00:00.000Z',
      pending: {
        actions: ['approve', 'reject', 'return'],
        roles: ['township'],
        jurisdiction: '341324105',
        waitingOn: 'township',
      },
      clock: { allowanceMs: 5 * DAY, dueAt: '2026-11-25T00:00:00.000Z', breached: true, overdueMs: DAY },
      live: null,
      activities: [
        {
          activityType: 'recordClaimProgress',
          attempt: 4,
          maximumAttempts: null,
          state: '1',
          lastFailure: 'database unavailable',
          lastStartedAt: null,
          nextAttemptAt: '2026-11-26T00:00:10.000Z',
        },
      ],
      lastEvent: null,
      now: new Date('2026-11-26T00:00:00.000Z'),
    });
    expect(text.en).toEqual([
      'FP-20261129-341324-000001 (health) has been in township review since 2026-11-20 08:00 (6 d).',
      'Waiting on the township (township in 341324105) to approve, reject, return.',
      'The deadline passed at 2026-11-25 08:00; overdue by 1 d, delayed by the township.',
      'Automatic step recordClaimProgress is retrying: attempt 4, last error "database unavailable", next retry 2026-11-26 08:00.',
    ]);
    expect(text.zh[1]).toBe('等待乡镇（乡镇审核人，辖区 341324105）执行：批准、驳回、退回。');
    expect(text.zh[2]).toBe('时限已于 2026-11-25 08:00 到期，已超时 1天，延误方：乡镇。');
  });

  test('a closed claim and its last event are told in Chinese words, not codes', () => {
    const text = explain({
      claimNo: 'FP-20261129-341324-000002',
      stage: 'closed',
      line: 'property',
      status: 'paid',
      stageSince: '2026-11-20T00:00:00.000Z',
      pending: { actions: [], roles: ['system'], jurisdiction: '341324', waitingOn: 'system' },
      clock: { allowanceMs: null, dueAt: null, breached: false, overdueMs: 0 },
      live: null,
      activities: [],
      lastEvent: {
        seq: 9,
        at: '2026-11-20T00:00:00.000Z',
        actor: { userId: 'county-approver-1', role: 'county' },
        action: 'approve',
        fromStage: 'county_approval',
        toStage: 'insurer_review',
      },
      now: new Date('2026-11-26T00:00:00.000Z'),
    });
    expect(text.zh).toEqual([
      'FP-20261129-341324-000002（家庭财产）已于 2026-11-20 08:00 办结，结果：已赔付。',
      '最近记录：2026-11-20 08:00 县级审批人（county-approver-1）批准。',
    ]);
  });
});
