import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createEncryptionCodec } from '../../common/crypto/payload-codec';
import { pollUntil } from '../../common/poll';
import { freePort } from '../../scripts/stack/ports';
import { canaryWorkflow } from '../../workflows';
import { canaryWorkflowId } from '../../workflows/ids';
import { startEntryPoint, type ManagedProcess } from '../helpers/processes';
import { testServers, uniqueName, withDatabase } from '../helpers/servers';

describe('the API and worker processes', () => {
  const taskQueue = uniqueName('proc');
  let apiPort: number;
  let api: ManagedProcess;
  let worker: ManagedProcess;
  let workerMetricsPort: number;

  beforeAll(async () => {
    apiPort = await freePort();
    workerMetricsPort = await freePort();
    // Partners are not called in this test; the worker and API only need a valid registry to start.
    const partnersFile = join(mkdtempSync(join(tmpdir(), 'fangpin-proc-')), 'partners.json');
    const partner = (port: number) => ({
      url: `http://127.0.0.1:${port}`,
      secrets: ['unused-secret-0123456789abcdef0123456789'],
    });
    writeFileSync(
      partnersFile,
      JSON.stringify({ insurers: [{ id: 'picc-suzhou', ...partner(9) }], bank: partner(9), dataSources: partner(9) }),
    );
    const env = {
      PARTNERS_FILE: partnersFile,
      PII_KEY: 'ab'.repeat(32),
      MONGODB_URI: withDatabase(testServers().mongodbUri, uniqueName('proc').replace('-', '_')),
      TEMPORAL_ADDRESS: testServers().temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      API_PORT: String(apiPort),
      LOG_LEVEL: 'info',
    };
    api = startEntryPoint('api/server.ts', env);
    worker = startEntryPoint('workers/main.ts', { ...env, WORKER_METRICS_ADDRESS: `127.0.0.1:${workerMetricsPort}` });
  });
  afterAll(() => {
    for (const p of [api, worker]) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  });

  test('when both run, then /readyz answers 200 and a canary completes through the worker process', async () => {
    await pollUntil(
      'the API process to be ready',
      async () => {
        const res = await fetch(`http://127.0.0.1:${apiPort}/readyz`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    const connection = await Connection.connect({ address: testServers().temporalAddress });
    try {
      const client = new Client({ connection, dataConverter: { payloadCodecs: [createEncryptionCodec('ab'.repeat(32))] } });
      const canaryId = uniqueName('c');
      const result = await client.workflow.execute(canaryWorkflow, {
        taskQueue,
        workflowId: canaryWorkflowId(canaryId),
        args: [{ canaryId }],
        workflowExecutionTimeout: '60 seconds',
      });
      expect(result).toEqual({ canaryId, confirmed: true });
    } finally {
      await connection.close();
    }
  });

  test("when WORKER_METRICS_ADDRESS is set, then the worker serves the Temporal SDK's metrics for Prometheus", async () => {
    const text = await pollUntil('worker metrics with a completed workflow task', async () => {
      const res = await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`).catch(() => undefined);
      const body = res?.ok ? await res.text() : '';
      return /temporal_workflow_task_execution_latency/.test(body) ? body : undefined;
    });
    expect(text).toMatch(/temporal_activity_execution_latency/);
    expect(text).toMatch(new RegExp(`task_queue="${taskQueue}"`));
  });

  test('the API serves its own metrics, HTTP latency by route included', async () => {
    const text = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text();
    expect(text).toMatch(/fangpin_http_request_duration_seconds_count\{method="GET",route="\/readyz",status="200"\} [1-9]/);
    expect(text).toMatch(/# HELP fangpin_open_claims/);
  });

  test('when sent SIGTERM, then both stop cleanly with exit code 0 and say so in JSON logs', async () => {
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect(api.output()).toMatch(/"msg":"stopped"/);
    expect(worker.output()).toMatch(/"msg":"worker stopped"/);
  });

  test('when MONGODB_URI is invalid, then the API exits 1 naming the variable', async () => {
    const bad = startEntryPoint('api/server.ts', { MONGODB_URI: 'http://example', TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('MONGODB_URI: must be a mongodb:// or mongodb+srv:// URI');
  });
});
