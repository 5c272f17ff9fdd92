import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/stack/local-stack';

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
