/**
 * V8 CPU profiles (`--cpu-prof`) of the bench's processes, summarized: self time by package or module and by
 * function, counting only the samples taken while the load ran. The raw profiles open in Chrome DevTools.
 */
import { PROJECT_ROOT } from '../scripts/stack/local-stack';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The load's window on the monotonic clock V8's profiler stamps its samples with (microseconds). */
export interface Window {
  fromUs: number;
  toUs: number;
}
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Where a frame's code lives: a package, our own module, or Node itself. */
function ownerOf(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url === '') return '(native / GC / idle)';
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^file:\/\//, '').replace(`${PROJECT_ROOT}/`, '');
}

/** Self time per function and per package of the samples taken while the load ran (start-up and shutdown left out). */
export function summarize(profile: CpuProfile, window: Window, top: number, label = 'the main thread'): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= window.fromUs && at <= window.toUs) selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  });
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    total += ms;
    const owner = ownerOf(frame.url);
    const name = `${frame.functionName || '(anonymous)'}  ${owner}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
  }
  const print = (title: string, rows: Map<string, number>) => {
    console.log(`  ${title}`);
    for (const [name, ms] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`    ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${name}`);
  };
  console.log(`  ${label} not idle while the load ran: ${total.toFixed(0)} ms (wall time: includes waiting for a core)`);
  print('self time by package or module', byOwner);
  print('self time by function', byFunction);
}
