/**
 * The partner conformance kit, run against our own simulators (which must pass every check) and against deliberately
 * broken variants of them (each must fail the check it breaks); and the kit's command line, as an integrator runs it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../common/logger';
import { newSecret } from '../../common/partners/registry';
import { pollUntil } from '../../common/poll';
import { buildBankSim, type BankBreak } from '../../sim/bank/bank-sim';
import { listen } from '../../sim/common';
import { runConformance } from '../../sim/conformance/kit';
import { startKitReceiver } from '../../sim/conformance/receiver';
import type { Report } from '../../sim/conformance/report';
import { buildInsurerSim, type InsurerBreak } from '../../sim/insurer/insurer-sim';

jest.setTimeout(120_000);
const silent = createLogger({ level: 'silent' });
const KIT_WAITS = { timeoutMs: 8_000, quietMs: 800 };

async function checkInsurer(breaks: InsurerBreak[] = []): Promise<Report> {
  const secret = newSecret();
  const receiver = await startKitReceiver({ secrets: [secret] });
  const sim = buildInsurerSim(
    {
      insurerId: 'kit-insurer',
      secrets: [secret],
      callbackBaseUrl: receiver.url,
      decisionDelayMs: 50,
      mix: { approved_full: 1 },
      breaks,
    },
    silent,
  );
  const running = await listen(sim.app, 0);
  try {
    return await runConformance({
      partner: 'insurer',
      url: running.url,
      partnerId: 'kit-insurer',
      secrets: [secret],
      receiver,
      ...KIT_WAITS,
    });
  } finally {
    sim.stop();
    await running.close();
    await receiver.close();
  }
}

async function checkBank(breaks: BankBreak[] = []): Promise<Report> {
  const secret = newSecret();
  const receiver = await startKitReceiver({ secrets: [secret] });
  const sim = buildBankSim({ secrets: [secret], callbackBaseUrl: receiver.url, settleDelayMs: 50, breaks }, silent);
  const running = await listen(sim.app, 0);
  try {
    return await runConformance({ partner: 'bank', url: running.url, secrets: [secret], receiver, ...KIT_WAITS });
  } finally {
    sim.stop();
    await running.close();
    await receiver.close();
  }
}

const failed = (report: Report) => report.checks.filter((c) => c.status !== 'pass').map((c) => c.id);

describe('the conformance kit against our simulators', () => {
  test('the insurer simulator passes every check', async () => {
    const report = await checkInsurer();
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report).toMatchObject({ passed: true, counts: { fail: 0, not_exercised: 0 } });
    expect(report.checks.length).toBeGreaterThanOrEqual(15);
  });

  test('the bank simulator passes every check', async () => {
    const report = await checkBank();
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report).toMatchObject({ passed: true, counts: { fail: 0, not_exercised: 0 } });
    expect(report.checks.length).toBeGreaterThanOrEqual(18);
  });
});

describe('the conformance kit against broken insurers: each fails the check it breaks', () => {
  test.each<[InsurerBreak, string[]]>([
    ['accept_unsigned', ['package.unsigned']],
    ['accept_any_signature', ['package.wrong_key', 'package.modified_body']],
    ['ignore_timestamp', ['package.stale']],
    ['accept_invalid_body', ['package.invalid_body']],
    ['decide_replays', ['package.replayed']],
    ['bad_signature', ['decision.signature']],
    ['stale_timestamp', ['decision.signature']],
    ['no_retry', ['decision.retry']],
    ['new_delivery_id_on_retry', ['decision.retry']],
    ['new_decision_id_on_retry', ['decision.idempotent']],
    ['wrong_round', ['decision.round']],
    ['amount_above_claim', ['decision.amount']],
    ['fractional_amount', ['decision.amount']],
    ['negative_amount', ['decision.amount']],
    ['documents_without_kinds', ['decision.documents']],
  ])('%s → %j', async (broken, checks) => {
    const report = await checkInsurer([broken]);
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual(expect.arrayContaining(checks));
  });
});

describe('the conformance kit against broken banks: each fails the check it breaks', () => {
  test.each<[BankBreak, string[]]>([
    ['accept_unsigned', ['payout.unsigned']],
    ['accept_any_signature', ['payout.wrong_key', 'payout.modified_body']],
    ['ignore_timestamp', ['payout.stale']],
    ['accept_invalid_body', ['payout.invalid_body']],
    ['pay_repeats', ['payout.repeat', 'payout.concurrent']],
    ['no_conflict_check', ['payout.conflict']],
    ['status_always_404', ['status.known']],
    ['result_amount_off', ['result.confirmed']],
    ['result_wrong_card', ['result.confirmed']],
    ['ignore_test_cards', ['result.bounced.card_closed', 'result.bounced.card_frozen', 'result.bounced.name_mismatch']],
    ['bad_signature', ['result.confirmed']],
    ['no_retry', ['result.retry']],
    ['new_delivery_id_on_retry', ['result.retry']],
  ])('%s → %j', async (broken, checks) => {
    const report = await checkBank([broken]);
    expect(report.passed).toBe(false);
    expect(failed(report)).toEqual(expect.arrayContaining(checks));
  });
});

describe('npm run partner-check', () => {
  test('checks an insurer over HTTP, prints the report in Chinese and English, writes the JSON and exits 0 when all pass', async () => {
    const secret = newSecret();
    const sim = buildInsurerSim(
      {
        insurerId: 'kit-cli',
        secrets: [secret],
        callbackBaseUrl: 'http://127.0.0.1:9',
        decisionDelayMs: 1_000,
        mix: { approved_full: 1 },
      },
      silent,
    );
    const running = await listen(sim.app, 0);
    const json = join(mkdtempSync(join(tmpdir(), 'fangpin-kit-')), 'report.json');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'sim/conformance/cli.ts',
        'insurer',
        '--url',
        running.url,
        '--partner-id',
        'kit-cli',
        '--callback-port',
        '0',
        '--timeout',
        '20',
        '--json',
        json,
      ],
      { env: { ...process.env, PARTNER_SECRETS: secret }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // the integrator points its system's fangpin URL at the kit's receiver, printed first
      const callbacks = await pollUntil(
        'the kit to print its receiver',
        () => Promise.resolve(/callbacks to: (http:\/\/\S+)/.exec(out)?.[1]),
        {
          timeoutMs: 30_000,
        },
      );
      await fetch(`${running.url}/_sim/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ callbackBaseUrl: callbacks, decisionDelayMs: 50 }),
      });
      expect(await exited).toBe(0);
    } finally {
      child.kill();
      sim.stop();
      await running.close();
    }
    expect(out).toContain('有效签名的理赔包被接受');
    expect(out).toContain('a validly signed claim package is accepted');
    expect(out).toContain('全部通过');
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report).toMatchObject({ partner: 'insurer', passed: true });
    expect(out).not.toContain(secret);
  });

  test('exits 1 and names the failed check when the implementation is broken; 2 on bad arguments', async () => {
    const secret = newSecret();
    const receiverless = buildBankSim(
      { secrets: [secret], callbackBaseUrl: 'http://127.0.0.1:9', breaks: ['no_conflict_check'] },
      silent,
    );
    const running = await listen(receiverless.app, 0);
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'sim/conformance/cli.ts', ...args], {
          env: { ...process.env, PARTNER_SECRETS: secret },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.once('exit', (code) => resolve({ code, out }));
      });
    try {
      const json = join(mkdtempSync(join(tmpdir(), 'fangpin-kit-')), 'report.json');
      const broken = await run(['bank', '--url', running.url, '--callback-port', '0', '--timeout', '3', '--json', json]);
      expect(broken.code).toBe(1);
      expect(broken.out).toMatch(/未通过 FAIL\s+payout\.conflict/);
      const bad = await run(['insurer', '--url', 'not a url']);
      expect(bad.code).toBe(2);
      expect(bad.out).toContain('usage: npm run partner-check');
    } finally {
      receiverless.stop();
      await running.close();
    }
  });
});
