/** The conformance kit's findings: one line per check, in Chinese and English, as text for a person and as JSON. */

export type CheckStatus = 'pass' | 'fail' | 'not_exercised';

export interface CheckResult {
  id: string;
  zh: string;
  en: string;
  status: CheckStatus;
  /** What was seen, when it is not what the protocol asks (or why the check could not run). */
  detail?: string;
}

export interface Report {
  partner: 'insurer' | 'bank';
  target: string;
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  counts: Record<CheckStatus, number>;
  checks: CheckResult[];
}

/** The check definitions: an id with its wording; the runner fills in the outcome. */
export interface CheckDefinition {
  id: string;
  zh: string;
  en: string;
}

export const check =
  (definition: CheckDefinition) =>
  (status: CheckStatus, detail?: string): CheckResult => ({ ...definition, status, ...(detail ? { detail } : {}) });

/** Passes when `failures` is empty, else fails with them joined. */
export const verdict = (definition: CheckDefinition, failures: readonly string[]): CheckResult => {
  const distinct = [...new Set(failures)]; // one line per finding, not per delivery attempt
  return check(definition)(
    distinct.length === 0 ? 'pass' : 'fail',
    distinct.length ? distinct.slice(0, 5).join('; ') : undefined,
  );
};

export function buildReport(partner: Report['partner'], target: string, startedAt: Date, checks: CheckResult[]): Report {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, not_exercised: 0 };
  for (const c of checks) counts[c.status] += 1;
  return {
    partner,
    target,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    // a check the run could not exercise is not a pass: the integrator is told which scenario to enable
    passed: counts.fail === 0 && counts.not_exercised === 0,
    counts,
    checks,
  };
}

const MARK: Record<CheckStatus, string> = { pass: '✔ 通过 pass', fail: '✘ 未通过 FAIL', not_exercised: '… 未覆盖 not exercised' };

export function renderReport(report: Report): string {
  const lines = [
    `fangpin 合作方协议一致性检查 · partner protocol conformance — ${report.partner} ${report.target}`,
    '',
    ...report.checks.flatMap((c) => [
      `${MARK[c.status].padEnd(24)} ${c.id}`,
      `    ${c.zh}`,
      `    ${c.en}`,
      ...(c.detail ? [`    → ${c.detail}`] : []),
    ]),
    '',
    `合计 total: ${report.counts.pass} 通过 passed, ${report.counts.fail} 未通过 failed, ${report.counts.not_exercised} 未覆盖 not exercised`,
    report.passed ? '结论：全部通过 — all checks passed' : '结论：未通过 — the implementation does not conform yet',
  ];
  return lines.join('\n');
}
