/**
 * The bank process is killed after booking a payout and before confirming it. With its durable ledger it settles the
 * booked instruction after the restart and never books the key twice; a bank that lost the instruction answers
 * "never received", and the workflow re-sends it under the same key by itself. Either way the claim is paid once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../../common/poll';
import { freePort } from '../../scripts/stack/ports';
import { startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { startEntryPoint, type ManagedProcess } from '../helpers/processes';

interface BankEntry {
  idempotencyKey: string;
  claimNo: string;
  amountFen: number;
  status: string;
  instructions: number;
}

describe('a bank killed between booking and confirming', () => {
  let h: ClaimHarness;
  let bankUrl: string;
  let port: number;
  let bank: ManagedProcess | undefined;

  beforeAll(async () => {
    port = await freePort();
    bankUrl = `http://127.0.0.1:${port}`;
    h = await startClaimHarness({ bankUrl });
  });
  afterAll(async () => {
    if (bank && bank.child.exitCode === null && bank.child.signalCode === null) bank.child.kill('SIGKILL');
    await h.stop();
  });

  async function startBank(env: NodeJS.ProcessEnv): Promise<void> {
    bank = startEntryPoint('sim/bank/main.ts', {
      SIM_PORT: String(port),
      PARTNER_SECRETS: h.partners.bank.secrets.join(','),
      FANGPIN_URL: h.apiUrl,
      LOG_LEVEL: 'warn',
      ...env,
    });
    await pollUntil('the bank to listen', async () => ((await ledger().catch(() => undefined)) ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
  }
  async function killBank(): Promise<void> {
    bank!.child.kill('SIGKILL');
    expect(await bank!.exited).toBe('SIGKILL');
  }
  const ledger = async (): Promise<BankEntry[]> =>
    ((await (await fetch(`${bankUrl}/_sim/ledger`)).json()) as { entries: BankEntry[] }).entries;

  async function claimInPayout(): Promise<string> {
    const claimNo = await h.approvedByCounty();
    await pollUntil('the bank to book the instruction', async () =>
      (await ledger()).some((e) => e.claimNo === claimNo && e.status === 'accepted') ? true : undefined,
    );
    return claimNo;
  }

  test('when the bank keeps a durable ledger, then after its restart it settles the booked payout once', async () => {
    const ledgerFile = join(mkdtempSync(join(tmpdir(), 'fangpin-bank-')), 'ledger.jsonl');
    await startBank({ BANK_LEDGER_FILE: ledgerFile, BANK_SETTLE_DELAY_MS: '600000' });
    const claimNo = await claimInPayout();
    await killBank();
    await startBank({ BANK_LEDGER_FILE: ledgerFile, BANK_SETTLE_DELAY_MS: '200' });

    const paid = await h.waitFor(claimNo, 'closed', undefined, 60_000);
    expect(paid).toMatchObject({ status: 'paid', paidFen: 750_000 });
    const entries = (await ledger()).filter((e) => e.claimNo === claimNo);
    expect(entries).toEqual([
      expect.objectContaining({ idempotencyKey: `${claimNo}:1:1`, status: 'confirmed', amountFen: 750_000 }),
    ]);
    expect(paid.history.map((e) => e.action)).not.toContain('payout_resent');
    await killBank();
  }, 120_000);

  test('when the bank lost the instruction, then the workflow re-sends it under the same key by itself and it is paid once', async () => {
    await startBank({ BANK_SETTLE_DELAY_MS: '600000' });
    const claimNo = await claimInPayout();
    await killBank();
    await startBank({ BANK_SETTLE_DELAY_MS: '200' }); // a bank with no memory of it: "never received"

    const paid = await h.waitFor(claimNo, 'closed', undefined, 60_000);
    expect(paid).toMatchObject({ status: 'paid', paidFen: 750_000 });
    const resent = paid.history.filter((e) => e.action === 'payout_resent');
    expect(resent.length).toBeGreaterThanOrEqual(1);
    expect(resent[0]?.reason).toContain(`${claimNo}:1:1`);
    const entries = (await ledger()).filter((e) => e.claimNo === claimNo);
    expect(entries).toEqual([expect.objectContaining({ idempotencyKey: `${claimNo}:1:1`, status: 'confirmed' })]);
    expect(paid.installments).toEqual([expect.objectContaining({ idempotencyKey: `${claimNo}:1:1`, status: 'confirmed' })]);
    await killBank();
  }, 120_000);
});
