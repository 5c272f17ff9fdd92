/**
 * Filing survives a crash at any instant: the API process is SIGKILLed at each point of a filing (its failpoints),
 * and a retry with the same Idempotency-Key returns the one claim the filing made, or files it once. No claim is ever
 * listed without its workflow.
 */
import type { ClaimInput } from '../../domain/claim';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../../common/poll';
import { claimModel } from '../../db/models/claim';
import { fingerprintClaim } from '../../domain/fingerprint';
import { projectionOf } from '../../workflows/claim/projection';
import { initialState } from '../../workflows/claim/state';
import { aPropertyClaim } from '../fixtures/households';
import {
  people,
  startClaimHarness,
  TEST_AUTH,
  TEST_PII_KEY,
  TEST_TIMINGS,
  tokenFor,
  type ClaimHarness,
} from '../helpers/claim-harness';
import { startApiProcess, type ManagedProcess } from '../helpers/processes';
import { testServers, uniqueName } from '../helpers/servers';

const FAILPOINTS = ['filing:key-claimed', 'filing:number-recorded', 'filing:workflow-started', 'filing:key-completed'];

describe('a filing killed at any point', () => {
  let h: ClaimHarness;
  let env: NodeJS.ProcessEnv;
  let healthy: { process: ManagedProcess; url: string };
  const running: ManagedProcess[] = [];

  const startApi = (extra: NodeJS.ProcessEnv = {}) => startApiProcess({ ...env, ...extra }, { spawned: (p) => running.push(p) });

  beforeAll(async () => {
    h = await startClaimHarness();
    const partnersFile = join(mkdtempSync(join(tmpdir(), 'fangpin-filing-')), 'partners.json');
    writeFileSync(partnersFile, JSON.stringify(h.partners));
    env = {
      MONGODB_URI: h.mongoUri,
      TEMPORAL_ADDRESS: testServers().temporalAddress,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      PII_KEY: TEST_PII_KEY,
      AUTH_JWT_SECRET: TEST_AUTH.secret,
      PARTNERS_FILE: partnersFile,
      FILING_LEASE: '1s',
      LOG_LEVEL: 'warn',
    };
    healthy = await startApi();
  }, 120_000);
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await h.stop();
  });

  const file = async (url: string, body: ClaimInput, key?: string) => {
    await h.storeFiles(body.documents); // uploaded before the filing, as the workbench does
    const res = await fetch(`${url}/claims`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenFor(people.filer)}`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { claimNo?: string } };
  };
  const listed = async (householdId: string, divisionCode: string) =>
    (await h.claims.list({ scope: divisionCode }, 100)).items.filter((c) => c.householdId === householdId).map((c) => c.claimNo);

  test.each(FAILPOINTS)(
    'when the API dies at %s, then a retry with the same key returns the one claim it filed',
    async (point) => {
      const household = await h.newHousehold();
      const claim = aPropertyClaim(household.householdId);
      const key = uniqueName('crash-key');
      const doomed = await startApi({ FANGPIN_FAILPOINT: point });
      await expect(file(doomed.url, claim, key)).rejects.toThrow(); // the connection dies with the process
      expect(await doomed.process.exited).toBe('SIGKILL');
      const crashedAt = Date.now();

      // the retry waits out the dead request's lease (409 meanwhile), then finishes that filing
      const retried = await pollUntil(
        `the retry after a crash at ${point}`,
        async () => {
          const r = await file(healthy.url, claim, key);
          if (r.status === 409) return undefined;
          return r;
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      expect(retried.status).toBe(202);
      console.log(`crash at ${point}: the retry with the same key got its claim ${Date.now() - crashedAt} ms after the crash`);
      const claimNo = retried.body.claimNo!;
      await h.waitFor(claimNo, 'village_review');
      const rows = await pollUntil('the claim in the list', async () => {
        const found = await listed(household.householdId, household.divisionCode);
        return found.length > 0 ? found : undefined;
      });
      expect(rows).toEqual([claimNo]);
      // once more: the same answer, still one claim
      expect(await file(healthy.url, claim, key)).toMatchObject({ status: 202, body: { claimNo } });
      expect(await listed(household.householdId, household.divisionCode)).toEqual([claimNo]);
    },
    120_000,
  );

  test('when the API dies after numbering a filing without a key, then no claim is listed without its workflow', async () => {
    const household = await h.newHousehold();
    const doomed = await startApi({ FANGPIN_FAILPOINT: 'filing:number-recorded' });
    await expect(file(doomed.url, aPropertyClaim(household.householdId))).rejects.toThrow();
    expect(await doomed.process.exited).toBe('SIGKILL');
    expect(await listed(household.householdId, household.divisionCode)).toEqual([]);
    expect(await h.claims.unstartedBefore(new Date(Date.now() + 60_000).toISOString())).toEqual([]);
  }, 120_000);

  test('a ghost row left by an earlier version (read model written, workflow never started) is found and removed', async () => {
    const household = await h.newHousehold();
    const ghost = 'FP-20260101-341324-999990';
    await claimModel(h.mongo).create({
      ...projectionOf(
        initialState({
          claimNo: ghost,
          claim: aPropertyClaim(household.householdId),
          divisionCode: household.divisionCode,
          filedBy: people.filer,
          filedAt: '2026-01-01T01:00:00.000Z',
          keys: fingerprintClaim(aPropertyClaim(household.householdId)),
          timings: TEST_TIMINGS,
        }),
      ),
      version: 0,
    });
    const started = await h.service.file(
      aPropertyClaim(household.householdId, { eventDate: '2026-07-05', reportDate: '2026-07-06' }),
      people.filer,
    );
    await h.waitFor(started.claimNo, 'village_review');
    expect(await h.service.removeGhostClaims()).toEqual([ghost]);
    expect(await h.claims.find(ghost)).toBeNull();
    expect(await h.claims.find(started.claimNo)).not.toBeNull();
  });
});
