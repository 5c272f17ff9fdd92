import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pollUntil } from '../../common/poll';
import { PROJECT_ROOT } from '../../scripts/stack/local-stack';
import { freePort } from '../../scripts/stack/ports';

export interface ManagedProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

/**
 * Runs one of our entry points (api/server.ts, workers/main.ts) as one real process, as `npm start` does: node with
 * tsx's loader, not the tsx CLI (which would put a wrapper process between us and the one a signal must reach).
 */
export function startEntryPoint(entry: string, env: NodeJS.ProcessEnv): ManagedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, entry)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => output, exited };
}

/** An API process (api/server.ts) on a free loopback port, resolved once its /readyz answers 200. */
export async function startApiProcess(
  env: NodeJS.ProcessEnv,
  { readyTimeoutMs = 60_000, spawned }: { readyTimeoutMs?: number; spawned?: (p: ManagedProcess) => void } = {},
): Promise<{ process: ManagedProcess; url: string }> {
  const port = await freePort();
  const process = startEntryPoint('api/server.ts', { ...env, API_PORT: String(port) });
  spawned?.(process); // before waiting: a process that never becomes ready is still the caller's to kill
  const url = `http://127.0.0.1:${port}`;
  await pollUntil(
    'the API process to be ready',
    async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
    { timeoutMs: readyTimeoutMs, intervalMs: 200 },
  );
  return { process, url };
}

/** The worker processes (workers/main.ts) a test starts, and kills when it is done. */
export function workerProcesses() {
  const started: ManagedProcess[] = [];
  return {
    start(env: NodeJS.ProcessEnv): ManagedProcess {
      const worker = startEntryPoint('workers/main.ts', env);
      started.push(worker);
      return worker;
    },
    /** SIGKILLs those still running. */
    killAll(): void {
      for (const w of started) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    },
  };
}
