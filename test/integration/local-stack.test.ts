/**
 * The local stack as `npm start` runs it: a child or server that dies comes back by itself (same ports, so nothing
 * pointing at it is stranded), Ctrl-C and SIGTERM to npm stop every process it started, a later start finds nothing
 * stale and binds the same ports, the terminal shows the banner and problems (request logs go to files), and a
 * port taken between the check and the bind is noticed at once and replaced.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from '../../common/poll';
import { freeStablePort, isListening } from '../../scripts/stack/ports';
import {
  isAlive,
  PROJECT_ROOT,
  readStackInfo,
  stackDir,
  startLocalStack,
  stopLocalStack,
  type StackInfo,
} from '../../scripts/stack/local-stack';
import type { RunningService } from '../../scripts/run-local';
import { uniqueName } from '../helpers/servers';

interface Started {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

/** `npm start` as a person runs it, in a process group of its own (so a Ctrl-C can be sent to the whole group). */
function npmStart(stack: string, apiPort: number): Started {
  const npm = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    detached: true,
    env: {
      ...process.env,
      FANGPIN_STACK: stack,
      API_PORT: String(apiPort),
      MONGODB_URI: '',
      TEMPORAL_ADDRESS: '',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  npm.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { npm, output: () => output, exited: new Promise((resolve) => npm.once('exit', resolve)) };
}

const service = (stack: string) => {
  const file = join(stackDir(stack), 'service.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunningService) : undefined;
};

async function untilRunning(stack: string, started: Started): Promise<{ service: RunningService; stack: StackInfo }> {
  const running = await pollUntil(
    '`npm start` to print its banner',
    () => {
      if (started.npm.exitCode !== null) return 'exited' as const;
      const s = service(stack);
      return s?.banner ? s : undefined;
    },
    { timeoutMs: 240_000, intervalMs: 500 },
  );
  if (running === 'exited') throw new Error(`npm start exited:\n${started.output().slice(-3000)}`);
  return { service: running, stack: readStackInfo(stack)! };
}

const ready = async (apiUrl: string) =>
  (await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined))?.status === 200;

/** Every process of one run: the supervisor, our children and the stack's servers. */
const everyPid = (run: { service: RunningService; stack: StackInfo }) => [
  run.service.pid,
  ...Object.values(run.service.children),
  ...Object.values(run.stack.pids),
];

describe('npm start: a self-healing local stack that stops cleanly', () => {
  const stack = uniqueName('start').replace(/[^A-Za-z0-9_-]/g, '-');
  let apiPort: number;
  let current: Started | undefined;

  beforeAll(async () => {
    apiPort = await freeStablePort();
  });
  afterAll(async () => {
    if (current && current.npm.exitCode === null && current.npm.signalCode === null) {
      process.kill(-current.npm.pid!, 'SIGTERM');
      await current.exited;
    }
    await stopLocalStack(stack, { keepData: false });
  }, 120_000);

  test('children and servers that die come back on the same ports; Ctrl-C stops everything; the next start binds the same ports; SIGTERM to npm stops everything', async () => {
    current = npmStart(stack, apiPort);
    const first = await untilRunning(stack, current);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    expect(first.service.apiUrl).toBe(apiUrl);
    expect(await ready(apiUrl)).toBe(true);

    // the terminal: the banner, not the request log (that is in the API's log file)
    expect(current.output()).toContain('fangpin is running');
    expect(current.output()).not.toContain('request completed');
    expect(readFileSync(join(stackDir(stack), 'logs', 'api.log'), 'utf8')).toContain('request completed');
    const status = await new Promise<string>((resolve) => {
      const cli = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack/cli.ts', 'status', stack], { cwd: PROJECT_ROOT });
      let out = '';
      cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
      cli.once('exit', () => resolve(out));
    });
    expect(status).toContain('fangpin is running');
    expect(status).toContain(apiUrl);

    // a child that dies is started again (with backoff, said in the terminal)
    const worker = first.service.children.worker!;
    process.kill(worker, 'SIGKILL');
    const newWorker = await pollUntil(
      'the worker to be started again',
      () => {
        const pid = service(stack)?.children.worker;
        return pid && pid !== worker && isAlive(pid) ? pid : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(current.output()).toMatch(/worker exited \(SIGKILL\).*restarting in 1 s/);

    // a server that dies is started again in place: same address, the API is ready again at the same URL
    const ferretdb = first.stack.pids.ferretdb!;
    process.kill(ferretdb, 'SIGKILL');
    const killedAt = Date.now();
    await pollUntil(
      'FerretDB to serve again and the API to be ready',
      async () => {
        const info = readStackInfo(stack);
        const back = info?.pids.ferretdb !== ferretdb && isAlive(info?.pids.ferretdb) && (await ready(apiUrl));
        return back && current!.output().includes('ferretdb had stopped; started it again on its port') ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    console.log(`FerretDB SIGKILLed: served again, API ready, after ${Date.now() - killedAt} ms`);
    expect(readStackInfo(stack)?.mongodbUri).toBe(first.stack.mongodbUri);

    // Ctrl-C: the terminal sends SIGINT to the whole foreground group
    const second = { service: service(stack)!, stack: readStackInfo(stack)! };
    expect(second.service.children.worker).toBe(newWorker);
    const interruptedAt = Date.now();
    process.kill(-current.npm.pid!, 'SIGINT');
    await current.exited;
    await pollUntil('every process to be gone', () => (everyPid(second).some(isAlive) ? undefined : true), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    console.log(`Ctrl-C: every process gone after ${Date.now() - interruptedAt} ms`);
    expect(readStackInfo(stack)).toBeUndefined();
    expect(service(stack)).toBeUndefined();

    // the next start finds nothing stale and binds the very same ports
    current = npmStart(stack, apiPort);
    const third = await untilRunning(stack, current);
    expect(third.stack.mongodbUri).toBe(first.stack.mongodbUri);
    expect(third.stack.temporalAddress).toBe(first.stack.temporalAddress);
    expect(third.service.apiUrl).toBe(apiUrl);
    expect(await ready(apiUrl)).toBe(true);

    // SIGTERM to npm alone (what `timeout`, systemd or a container runtime send)
    const terminatedAt = Date.now();
    process.kill(current.npm.pid!, 'SIGTERM');
    await pollUntil('every process to be gone', () => (everyPid(third).some(isAlive) ? undefined : true), {
      timeoutMs: 45_000,
      intervalMs: 250,
    });
    console.log(`SIGTERM to npm: every process gone after ${Date.now() - terminatedAt} ms`);
    expect(readStackInfo(stack)).toBeUndefined();
  }, 600_000);
});

describe('a port taken between the check and the bind', () => {
  let holder: ChildProcess | undefined;
  afterEach(() => holder?.kill('SIGKILL'));

  /**
   * Binds the port the stack books for `key` the moment its book is written, before the server (which takes a second
   * to start) can: the port is free when checked and taken when the server binds it.
   */
  async function holdWhenBooked(name: string, key: string): Promise<{ held: Promise<number> }> {
    holder = spawn(process.execPath, [
      '-e',
      `const { readFileSync } = require('fs');
       const timer = setInterval(() => {
         let port; try { port = JSON.parse(readFileSync(${JSON.stringify(join(stackDir(name), 'ports.json'))}, 'utf8'))[${JSON.stringify(key)}]; } catch {}
         if (!port) return;
         clearInterval(timer);
         require('net').createServer().listen(port, '127.0.0.1', () => console.log(port));
       }, 2);
       console.log('watching');`,
    ]);
    const lines = (async function* () {
      for await (const chunk of holder.stdout!) yield* String(chunk).trim().split('\n');
    })();
    expect((await lines.next()).value).toBe('watching');
    return { held: lines.next().then(({ value }) => Number(value)) };
  }

  /** Starts a Temporal-only stack whose book holds `ports`, checks it while it runs, and stops it. */
  async function startWithBook(
    name: string,
    ports: Record<string, number>,
    ui: boolean,
    check: (info: StackInfo) => Promise<void>,
  ) {
    mkdirSync(stackDir(name), { recursive: true });
    writeFileSync(join(stackDir(name), 'ports.json'), JSON.stringify(ports));
    try {
      await check(await startLocalStack({ name, services: ['temporal'], ui }));
    } finally {
      await stopLocalStack(name, { keepData: false });
    }
  }

  test('is noticed the moment the server exits, and the server starts on another port', async () => {
    const name = uniqueName('race').replace(/[^A-Za-z0-9_-]/g, '-');
    const { held } = await holdWhenBooked(name, 'temporal');
    await startWithBook(name, {}, false, async (info) => {
      const port = await held;
      expect(port).toBeGreaterThan(0);
      expect(info.temporalAddress).not.toBe(`127.0.0.1:${port}`);
      expect(await isListening('127.0.0.1', Number(info.temporalAddress!.split(':')[1]))).toBe(true);
    });
  }, 40_000); // the old start waited 60 s for a server that had already exited

  test("a book that gave two of the server's ports the same number is mended, and the server starts", async () => {
    // a fresh-clone CI run failed so: the book handed the Web UI the port it had just handed the HTTP API (neither
    // bound yet), and the server exited on it at every try
    const name = uniqueName('race').replace(/[^A-Za-z0-9_-]/g, '-');
    const shared = await freeStablePort();
    await startWithBook(name, { 'temporal-http': shared, 'temporal-ui': shared }, true, async (info) => {
      const ports = info.commands.temporal!.filter((_, i, args) =>
        /^--(port|http-port|metrics-port|ui-port)$/.test(args[i - 1]!),
      );
      expect(ports).toHaveLength(4);
      expect(new Set(ports).size).toBe(4);
      expect((await fetch(info.temporalUiUrl!, { signal: AbortSignal.timeout(5_000) })).ok).toBe(true);
    });
  }, 60_000);
});

describe('npm run stack -- up on a stack one of whose servers died', () => {
  test('starts only that server again, on its port; the survivor keeps running untouched', async () => {
    const name = uniqueName('up').replace(/[^A-Za-z0-9_-]/g, '-');
    try {
      const first = await startLocalStack({ name, persistent: true });
      const ferretdb = first.pids.ferretdb!;
      process.kill(first.pids.temporal!, 'SIGKILL');
      await pollUntil('Temporal to be gone', () => (isAlive(first.pids.temporal) ? undefined : true), { timeoutMs: 15_000 });
      const again = await startLocalStack({ name, persistent: true }); // what `npm run stack -- up` calls
      expect(again.temporalAddress).toBe(first.temporalAddress);
      expect(again.mongodbUri).toBe(first.mongodbUri);
      expect(again.pids.temporal).not.toBe(first.pids.temporal);
      expect(again.pids.ferretdb).toBe(ferretdb); // not restarted: whatever points at it is not disturbed
      expect(isAlive(again.pids.temporal)).toBe(true);
    } finally {
      await stopLocalStack(name, { keepData: false });
    }
  }, 120_000);
});
