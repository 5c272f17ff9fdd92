import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../../common/poll';
import { PROJECT_ROOT } from '../../scripts/stack/local-stack';
import {
  killClusterService,
  readClusterInfo,
  restartClusterService,
  startTemporalCluster,
  stopTemporalCluster,
  type TemporalClusterInfo,
} from '../../scripts/stack/temporal-cluster';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, TEST_AUTH, TEST_PII_KEY, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import { startApiProcess, startEntryPoint, type ManagedProcess } from '../helpers/processes';
import { uniqueName } from '../helpers/servers';
import type { Actor } from '../../workflows/claim/types';

jest.setTimeout(300_000);

/**
 * The production topology on one machine: a real Temporal cluster (the Temporal server's frontend, two history
 * services, matching and its internal worker, each a process; PostgreSQL persistence and visibility; 4 history
 * shards), two fangpin worker processes and two API processes. A run of claims goes through the whole procedure while
 * a fangpin worker and a history service are SIGKILLed (and a worker and the history service started again), then the
 * other worker is SIGKILLed while payouts are under way: every claim completes, and the bank paid each exactly once.
 */
describe('claims on a Temporal cluster while a worker and a history service die', () => {
  const dir = join(
    PROJECT_ROOT,
    '.stack',
    `cluster-${uniqueName('t')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}`,
  );
  let cluster: TemporalClusterInfo;
  let h: ClaimHarness;
  const workers: ManagedProcess[] = [];
  const apis: { process: ManagedProcess; url: string }[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cluster = await startTemporalCluster({ dir, historyServices: 2, shards: 4 });
    h = await startClaimHarness({ inProcessWorker: false, temporalAddress: cluster.address });
    const partnersFile = join(mkdtempSync(join(tmpdir(), 'fangpin-cluster-')), 'partners.json');
    writeFileSync(partnersFile, JSON.stringify(h.partners));
    env = {
      MONGODB_URI: h.mongoUri,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      PII_KEY: TEST_PII_KEY,
      AUTH_JWT_SECRET: TEST_AUTH.secret,
      PARTNERS_FILE: partnersFile,
      CLAIM_NOTICE_PERIOD: '1s',
      CLAIM_PAYOUT_CHECK_AFTER: '3s',
      CLAIM_ACTIVITY_TIMEOUT: '5s',
      LOG_LEVEL: 'warn',
    };
    workers.push(startWorker(), startWorker());
    for (let i = 0; i < 2; i++) apis.push(await startApi());
  }, 240_000);
  afterAll(async () => {
    for (const p of [...workers, ...apis.map((a) => a.process)]) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await h?.stop();
    await stopTemporalCluster(dir, { keepData: false });
  });

  function startWorker(): ManagedProcess {
    return startEntryPoint('workers/main.ts', env);
  }
  const startApi = () => startApiProcess(env, { readyTimeoutMs: 90_000 });

  /**
   * A person's request through API process `i % 2`, as their browser would retry it: again while the answer is a
   * 5xx or no answer (a history shard moving to the surviving service); a 409 after such a retry means the first
   * attempt went through.
   */
  async function send(i: number, actor: Actor, path: string, body: unknown): Promise<number> {
    const token = await tokenFor(actor);
    let retried = false;
    return pollUntil(
      `${path} through API ${i % 2}`,
      async () => {
        const res = await fetch(`${apis[i % 2]!.url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).catch(() => undefined);
        await res?.arrayBuffer();
        if (!res || res.status >= 500) {
          retried = true;
          return undefined;
        }
        if (res.status === 409 && retried) return 409;
        if (res.status >= 400) throw new Error(`${path}: ${res.status}`);
        return res.status;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
  }

  test('every claim is paid, once, through the kills and restarts', async () => {
    const count = 10;
    const households = await Promise.all(Array.from({ length: count }, () => h.newHousehold()));
    const filerToken = await tokenFor(people.filer);
    const claimNos: string[] = [];
    for (const [i, household] of households.entries()) {
      const claim = aPropertyClaim(household.householdId);
      await h.upload(claim.documents, filerToken);
      const res = await fetch(`${apis[i % 2]!.url}/claims`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${filerToken}`,
          'content-type': 'application/json',
          'idempotency-key': `cluster-file-${i}`,
        },
        body: JSON.stringify(claim),
      });
      expect(res.status).toBe(202);
      claimNos.push(((await res.json()) as { claimNo: string }).claimNo);
    }
    // a fangpin worker and a history service die while the claims' first activities run (eligibility, cross-checks)
    workers[0]!.child.kill('SIGKILL');
    expect(await workers[0]!.exited).toBe('SIGKILL');
    await killClusterService(dir, 'history-1');
    for (const claimNo of claimNos) await h.waitFor(claimNo, 'village_review', undefined, 90_000);
    for (const [i, claimNo] of claimNos.entries())
      await send(i, people.village, `/claims/${claimNo}/actions/review`, { reason: '经入户核实，损失属实' });
    for (const claimNo of claimNos) await h.waitFor(claimNo, 'township_review', undefined, 90_000);

    // both come back; the other original worker dies while the county's approvals send payouts to the bank
    restartClusterService(dir, 'history-1');
    workers.push(startWorker());
    for (const [i, claimNo] of claimNos.entries()) await send(i + 1, people.township, `/claims/${claimNo}/actions/approve`, {});
    for (const [i, claimNo] of claimNos.entries()) {
      await send(i, people.county, `/claims/${claimNo}/actions/approve`, {});
      if (i === count / 2) workers[1]!.child.kill('SIGKILL');
    }
    expect(await workers[1]!.exited).toBe('SIGKILL');

    for (const claimNo of claimNos) {
      const final = await h.waitFor(claimNo, 'closed', undefined, 120_000);
      expect(final).toMatchObject({ claimNo, status: 'paid', paidFen: 750_000 });
      const booked = [...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo);
      expect(booked).toHaveLength(1);
      expect(booked[0]).toMatchObject({ status: 'confirmed', amountFen: 750_000 });
    }
    // the cluster really ran as separate services, and the killed one is back
    const services = readClusterInfo(dir)!.services;
    expect(Object.keys(services).sort()).toEqual(['frontend', 'history-1', 'history-2', 'matching', 'worker']);
    expect(new Set(Object.values(services).map((s) => s.pid)).size).toBe(5);
  });
});
