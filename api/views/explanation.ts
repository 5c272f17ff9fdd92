/**
 * "Why is this claim here?" in plain words, Chinese and English, from the facts the ops service gathered: the stage
 * and since when, who must act and how, the SLA clock, failing activities and the last recorded event.
 */
import { LINE_LABELS, type Line } from '../../domain/codes';
import { formatDuration, formatShanghai } from '../../domain/dates';
import {
  ACTION_LABELS,
  EVENT_LABELS,
  PARTY_LABELS,
  ROLE_LABELS,
  STAGE_LABELS,
  STATUS_LABELS,
  type Stage,
} from '../../domain/lifecycle';
import { formatYuan } from '../../domain/money';
import type { SlaClock } from '../../domain/sla';
import type { AuditEvent } from '../../db/repositories/claims';
import type { ClaimState, PendingAction } from '../../workflows/claim/types';

export interface PendingActivityView {
  activityType: string;
  attempt: number;
  maximumAttempts: number | null;
  state: string;
  lastFailure: string | null;
  lastStartedAt: string | null;
  nextAttemptAt: string | null;
}

export interface ExplanationFacts {
  claimNo: string;
  stage: Stage;
  line: Line;
  status: string;
  stageSince: string;
  pending: PendingAction;
  clock: SlaClock;
  live: Pick<ClaimState, 'notice' | 'insurer' | 'installments' | 'proposal' | 'attention' | 'amountReview'> | null;
  activities: PendingActivityView[];
  lastEvent: AuditEvent | null;
  now: Date;
}

type Lang = 'zh' | 'en';
type Labels = Record<string, { zh: string; en: string } | undefined>;

/** A code in the reader's words where the code has a label (actions, roles, events, statuses); the code otherwise. */
const word = (labels: Labels, code: string, lang: Lang) => labels[code]?.[lang] ?? code;
/** What a recorded event says: the workflow's own events, and people's actions recorded under the action's name. */
const EVENT_WORDS: Labels = { ...ACTION_LABELS, ...EVENT_LABELS };

export function explain(facts: ExplanationFacts): Record<Lang, string[]> {
  return { zh: sentences(facts, 'zh'), en: sentences(facts, 'en') };
}

function sentences(f: ExplanationFacts, lang: Lang): string[] {
  const zh = lang === 'zh';
  const stage = STAGE_LABELS[f.stage][lang];
  const since = formatShanghai(f.stageSince);
  const age = formatDuration(f.now.getTime() - Date.parse(f.stageSince), lang);
  const out: string[] = [];
  if (f.stage === 'closed') {
    out.push(
      zh
        ? `${f.claimNo}（${LINE_LABELS[f.line].zh}）已于 ${since} 办结，结果：${word(STATUS_LABELS, f.status, lang)}。`
        : `${f.claimNo} (${LINE_LABELS[f.line].en}) closed at ${since}, ${f.status}.`,
    );
  } else {
    out.push(
      zh
        ? `${f.claimNo}（${LINE_LABELS[f.line].zh}）自 ${since} 起处于「${stage}」阶段，已 ${age}。`
        : `${f.claimNo} (${LINE_LABELS[f.line].en}) has been in ${stage} since ${since} (${age}).`,
    );
    out.push(waitingSentence(f, lang));
  }
  const { clock } = f;
  if (clock.dueAt) {
    const party = PARTY_LABELS[f.pending.waitingOn][lang];
    if (clock.breached) {
      out.push(
        zh
          ? `时限已于 ${formatShanghai(clock.dueAt)} 到期，已超时 ${formatDuration(clock.overdueMs, lang)}，延误方：${party}。`
          : `The deadline passed at ${formatShanghai(clock.dueAt)}; overdue by ${formatDuration(clock.overdueMs, lang)}, delayed by ${party}.`,
      );
    } else {
      const left = formatDuration(Date.parse(clock.dueAt) - f.now.getTime(), lang);
      out.push(
        zh ? `时限 ${formatShanghai(clock.dueAt)}（剩余 ${left}）。` : `Due ${formatShanghai(clock.dueAt)} (${left} left).`,
      );
    }
  }
  for (const a of f.activities) {
    if (a.attempt <= 1 && !a.lastFailure) continue;
    const next = a.nextAttemptAt ? formatShanghai(a.nextAttemptAt) : zh ? '未定' : 'not scheduled';
    out.push(
      zh
        ? `自动步骤 ${a.activityType} 正在重试：第 ${a.attempt} 次，最近错误「${a.lastFailure ?? '无'}」，下次重试 ${next}。`
        : `Automatic step ${a.activityType} is retrying: attempt ${a.attempt}, last error "${a.lastFailure ?? 'none'}", next retry ${next}.`,
    );
  }
  if (f.lastEvent) {
    const e = f.lastEvent;
    out.push(
      zh
        ? `最近记录：${formatShanghai(e.at)} ${word(ROLE_LABELS, e.actor.role, lang)}（${e.actor.userId}）${word(EVENT_WORDS, e.action, lang)}${e.reason ? `（${e.reason}）` : ''}。`
        : `Last recorded: ${formatShanghai(e.at)} ${e.action} by ${e.actor.role}/${e.actor.userId}${e.reason ? ` (${e.reason})` : ''}.`,
    );
  }
  return out;
}

function waitingSentence(f: ExplanationFacts, lang: Lang): string {
  const zh = lang === 'zh';
  const { pending, live } = f;
  const assignee = pending.assignee
    ? zh
      ? `，已指派给 ${pending.assignee.userId}`
      : `, assigned to ${pending.assignee.userId}`
    : '';
  switch (pending.waitingOn) {
    case 'insurer': {
      const insurer = live?.proposal?.insurerId ?? '?';
      const delivered = live?.insurer.deliveredAt;
      const reminders = live?.insurer.reminders ?? 0;
      if (!delivered) return zh ? `正在向 ${insurer} 发送理赔材料。` : `The claim package is being delivered to ${insurer}.`;
      return zh
        ? `等待 ${insurer} 核赔结论：材料已于 ${formatShanghai(delivered)} 送达，已催办 ${reminders} 次。`
        : `Waiting for ${insurer}'s decision: package delivered ${formatShanghai(delivered)}, ${reminders} reminder(s) sent.`;
    }
    case 'bank': {
      const open = live?.installments.find((i) => i.status === 'instructed');
      if (!open) return zh ? '正在向银行发出支付指令。' : 'The payout instruction is being sent to the bank.';
      return zh
        ? `等待银行确认第 ${open.installment} 笔支付 ${formatYuan(open.amountFen)}（尾号 ${open.account.cardLast4}）。`
        : `Waiting for the bank to confirm installment ${open.installment} of ${formatYuan(open.amountFen)} (card ending ${open.account.cardLast4}).`;
    }
    case 'system':
      if (f.stage === 'needs_attention' && live?.attention)
        return zh
          ? `需人工处理：${live.attention.zh}。处理后由运维或县级人员恢复（resume），案件回到「${STAGE_LABELS[live.attention.fromStage].zh}」。`
          : `Needs attention: ${live.attention.en}. Once dealt with, ops or county staff resume it back to ${STAGE_LABELS[live.attention.fromStage].en}.`;
      if (f.stage === 'public_notice' && live?.notice)
        return zh
          ? `公示中，${formatShanghai(live.notice.endsAt)} 结束；期间可提出异议。`
          : `Public notice runs until ${formatShanghai(live.notice.endsAt)}; objections may be lodged until then.`;
      return zh ? '等待系统自动处理。' : 'Waiting for an automatic step.';
    default: {
      if (f.stage === 'county_amount_review' && live?.amountReview) {
        const r = live.amountReview;
        return zh
          ? `保险公司核定${formatYuan(r.insurerFen)}，高于县级审批（限额内）的${formatYuan(r.heldFen)}，未予执行：等待县级人员接受（以限额为限）或退回保险公司重新核定${assignee}。`
          : `The insurer approved ${formatYuan(r.insurerFen)}, above the ${formatYuan(r.heldFen)} the county approved within the caps; not applied: waiting for county staff to accept it (up to the caps) or send it back${assignee}.`;
      }
      const actions = pending.actions.map((a) => word(ACTION_LABELS, a, lang)).join(zh ? '、' : ', ') || (zh ? '处理' : 'act');
      const roles = pending.roles.map((r) => word(ROLE_LABELS, r, lang)).join('/');
      return zh
        ? `等待${PARTY_LABELS[pending.waitingOn].zh}（${roles}，辖区 ${pending.jurisdiction}）执行：${actions}${assignee}。`
        : `Waiting on ${PARTY_LABELS[pending.waitingOn].en} (${roles} in ${pending.jurisdiction}) to ${actions}${assignee}.`;
    }
  }
}
