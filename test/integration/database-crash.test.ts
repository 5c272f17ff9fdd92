import { createLogger } from '../../common/logger';
import { pollUntil } from '../../common/poll';
import { aClaim } from '../fixtures/households';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';
import { startDisposableDatabase, type DisposableDatabase } from '../helpers/disposable-database';
import { uniqueName, withDatabase } from '../helpers/servers';

type DatabaseProcess = 'postgres' | 'ferretdb';

/**
 * The database's own processes killed (SIGKILL) under load, on a server of this file's own: PostgreSQL, and FerretDB
 * in front of it. While one is down the API answers 503 with Retry-After within 5 s and writes nothing; when it is
 * back the API and the worker recover by themselves (nobody restarts them), every acknowledged filing is there, and
 * the claims that were moving through the workflow when it died complete with one bank payment each.
 */
describe('PostgreSQL and FerretDB killed during filings and payouts', () => {
  let database: DisposableDatabase;
  let h: ClaimHarness;
  const unhandled: string[] = [];

  beforeAll(async () => {
    database = await startDisposableDatabase();
    h = await startClaimHarness({
      mongoUri: withDatabase(database.uri, uniqueName('crash').replace('-', '_')),
      bank: { settleDelayMs: 300 },
      insurer: { decisionDelayMs: 100 },
      // an error the API could not classify is logged as "unhandled error": keep those, to name them if a test fails
      logger: createLogger({
        level: 'error',
        destination: { write: (line: string) => void (line.includes('unhandled error') && unhandled.push(line)) },
      }),
    });
  }, 120_000);
  afterAll(async () => {
    await h.stop().catch(() => undefined);
    await database.dispose();
  });

  const claimFor = (householdId: string) =>
    aClaim({
      householdId,
      line: 'property',
      eventDate: '2026-07-01',
      reportDate: '2026-07-02',
      loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000 },
    });

  async function fileOverHttp(householdId: string, key: string) {
    const started = Date.now();
    const res = await fetch(`${h.apiUrl}/claims`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenFor(people.filer)}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(claimFor(householdId)),
    }).catch(() => undefined);
    const body = res ? ((await res.json()) as Record<string, unknown>) : {};
    return { status: res?.status ?? 0, retryAfter: res?.headers.get('retry-after'), body, ms: Date.now() - started };
  }

  /** Files until acknowledged (a client retrying with its Idempotency-Key, as the API's 503 asks), up to a deadline. */
  const fileUntilAcknowledged = (householdId: string, key: string) => {
    let last: Awaited<ReturnType<typeof fileOverHttp>> | undefined;
    return pollUntil(
      `filing ${key} to be acknowledged`,
      async () => {
        const r = (last = await fileOverHttp(householdId, key));
        // an unavailable dependency (or a connection refused) is worth retrying, and so is a key still held by a
        // request the outage cut short (409 until its lease runs out, then the retry finishes that filing)
        if (r.status !== 202 && r.status !== 503 && r.status !== 409 && r.status !== 0)
          throw new Error(`filing ${key}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.status === 202 ? (r.body.claimNo as string) : undefined;
      },
      // recovery after a FerretDB restart was seen taking over 60 s on a loaded 2-core CI run (cause under study)
      { timeoutMs: 150_000, intervalMs: 250 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last answer ${last?.status} ${JSON.stringify(last?.body)}`);
    });
  };

  /** Village, township and county approve: the claim then goes to the insurer and the bank on its own. */
  async function throughCounty(claimNo: string) {
    await h.waitFor(claimNo, 'village_review', undefined, 60_000);
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review', undefined, 60_000);
    await h.service.act(claimNo, { action: 'approve', actor: people.township });
    await h.waitFor(claimNo, 'county_approval', undefined, 60_000);
    await h.service.act(claimNo, { action: 'approve', actor: people.county });
  }

  for (const killed of ['postgres', 'ferretdb'] as DatabaseProcess[]) {
    test(`when ${killed} is SIGKILLed mid-run, then the API answers 503 within 5 s, recovers by itself and loses nothing`, async () => {
      const households = await Promise.all(Array.from({ length: 6 }, () => h.newHousehold()));
      // the clerk's uploads come before the outage; the filings then retry through it
      for (const hh of households) await h.storeFiles(claimFor(hh.householdId).documents);
      const keys = households.map(() => uniqueName(`key-${killed}`));
      // three claims filed and on their way to the insurer and the bank when the database dies
      const moving = await Promise.all(households.slice(0, 3).map((hh, i) => fileUntilAcknowledged(hh.householdId, keys[i]!)));
      await Promise.all(moving.map(throughCounty));

      await database.local!.kill(killed);
      const whileDown = [];
      for (let i = 3; i < 6; i++) whileDown.push(await fileOverHttp(households[i]!.householdId, keys[i]!));
      expect(unhandled.map((line) => line.slice(0, 600))).toEqual([]);
      for (const r of whileDown) {
        expect(r).toMatchObject({ status: 503, body: { code: 'DEPENDENCY_UNAVAILABLE' } });
        expect(Number(r.retryAfter)).toBeGreaterThan(0);
        expect(r.ms).toBeLessThan(5_000);
      }

      await database.local!.restart(killed);
      // the same clients retry with their keys: one claim each, the claims filed before the crash are all there
      const later = await Promise.all(households.slice(3).map((hh, i) => fileUntilAcknowledged(hh.householdId, keys[i + 3]!)));
      const again = await Promise.all(households.map((hh, i) => fileUntilAcknowledged(hh.householdId, keys[i]!)));
      expect(again).toEqual([...moving, ...later]);
      // each claim's workflow writes its row in the read model (a moment after the 202 for the claims filed after the restart)
      for (const claimNo of again)
        await pollUntil(`the read model row of ${claimNo}`, async () => ((await h.claims.find(claimNo)) ? true : undefined), {
          timeoutMs: 60_000,
        });

      // the claims in flight complete, each paid once, and the read model caught up with every workflow
      for (const claimNo of moving) {
        await h.waitFor(claimNo, 'closed', (s) => s.status === 'paid', 120_000);
        await pollUntil(
          `the read model of ${claimNo}`,
          async () => ((await h.claims.find(claimNo))?.status === 'paid' ? true : undefined),
          { timeoutMs: 60_000 },
        );
        const payments = [...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo && e.status === 'confirmed');
        expect(payments).toHaveLength(1);
        expect((await h.claims.events(claimNo)).map((e) => e.seq)).toEqual(
          (await h.service.state(claimNo)).history.map((_, i) => i + 1),
        );
      }
    }, 300_000);
  }
});
