import { readFileSync } from 'node:fs';

/** True when `pid` is alive and runs `binary` (not a recycled pid). */
export function runsBinary(pid: number | undefined, binary: string): boolean {
  if (!pid) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary;
  } catch {
    return false;
  }
}

/** Signals a detached server's process group (its children too), or the process alone when it has none. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
