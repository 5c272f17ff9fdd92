/**
 * The lifecycle benchmark's baseline: the claim workflow's shape with no business logic. It runs the same number of
 * activities, waits on the same timer and accepts the same number of updates, in order (an update that comes early
 * is refused by its validator, as a claim action in the wrong stage is).
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type * as activities from './activities';

export interface BaselineInput {
  /** Activities before each update gate (the bench counts them from a claim it drove to paid). */
  activitiesPerGate: number[];
  /** The public-notice timer, after the first gate. */
  timerMs: number;
}

export const gateUpdate = defineUpdate<number, [number]>('gate');
export const gateQuery = defineQuery<number>('gate');

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export async function baselineClaimWorkflow(input: BaselineInput): Promise<number> {
  let open = -1; // the gate waiting for its update
  let passed = 0;
  setHandler(gateQuery, () => passed);
  setHandler(
    gateUpdate,
    (gate) => {
      passed = gate + 1;
      return passed;
    },
    {
      validator: (gate) => {
        if (gate !== open) throw new Error(`gate ${gate} is not open (open: ${open})`);
      },
    },
  );
  for (let gate = 0; gate < input.activitiesPerGate.length; gate++) {
    for (let i = 0; i < input.activitiesPerGate[gate]!; i++) await noop(gate, i);
    if (gate === 1) await sleep(input.timerMs);
    open = gate;
    await condition(() => passed > gate);
  }
  return passed;
}
