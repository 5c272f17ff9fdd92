/**
 * The API and the worker started while their servers are down (a reboot, a stack restarting) wait for them, retrying
 * with backoff, instead of exiting; once the servers come up on the addresses they were given, both serve.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '../../common/poll';
import { freePort } from '../../scripts/stack/ports';
import { stackDir, startLocalStack, stopLocalStack } from '../../scripts/stack/local-stack';
import { startEntryPoint, type ManagedProcess } from '../helpers/processes';
import { uniqueName } from '../helpers/servers';

describe('the API and worker started before their servers', () => {
  const databaseStack = uniqueName('late-db').replace(/[^A-Za-z0-9_-]/g, '-');
  const temporalStack = uniqueName('late-tp').replace(/[^A-Za-z0-9_-]/g, '-');
  const processes: ManagedProcess[] = [];
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await stopLocalStack(databaseStack, { keepData: false });
    await stopLocalStack(temporalStack, { keepData: false });
  }, 60_000);

  test('wait for the database and Temporal, then serve', async () => {
    const [mongoPort, temporalPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const partnersFile = join(mkdtempSync(join(tmpdir(), 'fangpin-late-')), 'partners.json');
    const partner = { url: 'http://127.0.0.1:9', secrets: ['unused-secret-0123456789abcdef0123456789'] };
    writeFileSync(
      partnersFile,
      JSON.stringify({ insurers: [{ id: 'picc-suzhou', ...partner }], bank: partner, dataSources: partner }),
    );
    const env = {
      PARTNERS_FILE: partnersFile,
      PII_KEY: 'cd'.repeat(32),
      MONGODB_URI: `mongodb://127.0.0.1:${mongoPort}/late`,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000',
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      TEMPORAL_TASK_QUEUE: uniqueName('late'),
      API_PORT: String(apiPort),
      LOG_LEVEL: 'info',
    };
    const api = startEntryPoint('api/server.ts', env);
    const worker = startEntryPoint('workers/main.ts', env);
    processes.push(api, worker);

    // both say they wait, and are still running
    await pollUntil(
      'both to report the database unavailable',
      () =>
        api.output().includes('the database is not available yet; retrying') &&
        worker.output().includes('the database is not available yet; retrying')
          ? true
          : undefined,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect([api.child.exitCode, worker.child.exitCode]).toEqual([null, null]);

    // the servers come up on exactly those addresses (each stack's remembered port): the database first
    const serveOn = async (stack: string, ports: Record<string, number>, services: ('database' | 'temporal')[]) => {
      mkdirSync(stackDir(stack), { recursive: true });
      writeFileSync(join(stackDir(stack), 'ports.json'), JSON.stringify(ports));
      return startLocalStack({ name: stack, services });
    };
    expect((await serveOn(databaseStack, { ferretdb: mongoPort }, ['database'])).mongodbUri).toBe(
      `mongodb://127.0.0.1:${mongoPort}/fangpin`,
    );
    // the worker now has its database and waits for Temporal
    await pollUntil(
      'the worker to report Temporal unavailable',
      () => (worker.output().includes('Temporal is not available yet; retrying') ? true : undefined),
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    expect(worker.child.exitCode).toBeNull();
    expect((await serveOn(temporalStack, { temporal: temporalPort }, ['temporal'])).temporalAddress).toBe(
      `127.0.0.1:${temporalPort}`,
    );

    await pollUntil(
      'the API to be ready and the worker to run',
      async () => {
        const ready = (await fetch(`http://127.0.0.1:${apiPort}/readyz`).catch(() => undefined))?.status === 200;
        return ready && worker.output().includes('worker running') ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect([api.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
  }, 240_000);
});
