/**
 * Intake: claims filed per second through the API (validation, household check, numbering, read-model insert,
 * workflow start) at increasing concurrency, against raw `client.workflow.start` calls on the same Temporal server.
 * No worker polls either task queue, so only intake is measured.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { claimCounterModel } from '../../db/models/claim';
import { shanghaiDateOf } from '../../domain/dates';
import { Client, Connection } from '@temporalio/client';
import { fingerprintClaim } from '../../domain/fingerprint';
import { benchHousehold, call, people, propertyClaim, uploadFiles } from '../claims';
import { closedLoop, cpuDuring } from '../measure';
import type { BenchStack } from '../stack';

/** CPU milliseconds per claim filed (API) or per workflow started (raw), by process. */
export type CpuPerClaim = Record<'api' | 'ferretdb' | 'postgres' | 'temporal' | 'loadGenerator', number>;

export interface IntakeLevel {
  concurrency: number;
  apiPerSecond: number;
  apiP99Ms: number;
  rawPerSecond: number;
  rawP99Ms: number;
  apiCpu: CpuPerClaim;
  rawCpu: CpuPerClaim;
}

export interface IntakeResult {
  levels: IntakeLevel[];
  api: number;
  raw: number;
}

/** The CPU each process spends while `run` files `count()` claims: where an intake's cost goes. */
async function cpuPerClaim<T>(apiPid: number, run: () => Promise<T>, count: (result: T) => number) {
  const { result, cpuSeconds } = await cpuDuring({ api: apiPid }, run);
  const per = (name: keyof CpuPerClaim) => ((cpuSeconds[name] ?? 0) * 1000) / Math.max(1, count(result));
  const cpu: CpuPerClaim = {
    api: per('api'),
    ferretdb: per('ferretdb'),
    postgres: per('postgres'),
    temporal: per('temporal'),
    loadGenerator: per('loadGenerator'),
  };
  return { result, cpu };
}

export async function measureIntake(stack: BenchStack, seconds: number): Promise<IntakeResult> {
  // A database of its own: the thousands of claims filed here must not slow the later phases' queries. Its claim
  // numbers start high, so their workflow ids (claim-<claimNo>) never meet the later phases' on the shared server.
  const intakeDb = stack.servers.mongodbUri.replace(/\/[^/?]*(\?|$)/, '/fangpin_intake$1');
  const seeding = await mongoose.createConnection(intakeDb).asPromise();
  await claimCounterModel(seeding).create({ countyCode: '341324', day: shanghaiDateOf(new Date()), seq: 500_000 });
  await seeding.close();
  const api = await stack.startApi({
    TEMPORAL_TASK_QUEUE: 'bench-intake-unpolled',
    MONGODB_URI: intakeDb,
  });
  const levels: IntakeResult['levels'] = [];
  const connection = await Connection.connect({ address: stack.servers.temporalAddress });
  try {
    const filer = await stack.token(people.filer);
    const household = benchHousehold(0);
    const put = await call(api.url, filer, 'PUT', `/households/${household.householdId}`, household);
    if (put.status >= 300) throw new Error(`could not register the bench household: ${JSON.stringify(put.body)}`);
    const claim = propertyClaim(household, 0);
    await uploadFiles(api.url, filer, claim.documents);
    const body = JSON.stringify(claim);
    const client = new Client({ connection });
    // the same workflow input the API builds, so both sides send the same payload size
    const input = {
      claimNo: 'FP-20261129-341324-999999',
      claim,
      divisionCode: household.divisionCode,
      filedBy: people.filer,
      filedAt: new Date().toISOString(),
      keys: fingerprintClaim(claim),
      timings: {
        noticeMs: 1,
        insurerRemindAfterMs: {},
        insurerEscalateAfterMs: {},
        documentsDueMs: 1,
        payoutCheckAfterMs: 1,
        activityTimeoutMs: 1,
      },
    };

    for (const concurrency of [1, 4, 16]) {
      const { result, cpu: apiCpu } = await cpuPerClaim(
        api.pid,
        () =>
          autocannon({
            url: `${api.url}/claims`,
            method: 'POST',
            connections: concurrency,
            duration: seconds,
            headers: { authorization: `Bearer ${filer}`, 'content-type': 'application/json' },
            body,
          }),
        (r) => r['2xx'],
      );
      const { result: raw, cpu: rawCpu } = await cpuPerClaim(
        api.pid,
        () =>
          closedLoop(concurrency, seconds, () =>
            client.workflow.start('claimWorkflow', {
              taskQueue: 'bench-raw-unpolled',
              workflowId: `raw-${randomUUID()}`,
              args: [input],
            }),
          ),
        (r) => r.samples.length,
      );
      levels.push({
        concurrency,
        apiPerSecond: result['2xx'] / result.duration,
        apiP99Ms: result.latency.p99,
        rawPerSecond: raw.perSecond,
        rawP99Ms: raw.latency.p99,
        apiCpu,
        rawCpu,
      });
      if (result.non2xx > 0) console.warn(`  intake: ${result.non2xx} non-2xx answers at concurrency ${concurrency}`);
    }
  } finally {
    await connection.close();
    await api.stop();
  }
  return {
    levels,
    api: Math.max(...levels.map((l) => l.apiPerSecond)),
    raw: Math.max(...levels.map((l) => l.rawPerSecond)),
  };
}
