import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { claimWorkflowId } from '../../workflows/ids';

export const HISTORY_FIXTURES = join(__dirname, '..', 'fixtures', 'histories');

/**
 * With RECORD_HISTORIES=1, saves the claim's event history as a replay fixture (test/fixtures/histories/<name>.json).
 * The replay test then proves every later version of the workflow code still replays these runs deterministically.
 * Re-record only on purpose: a change that breaks replay needs `patched()`, not new fixtures.
 */
export async function recordHistory(client: Client, claimNo: string, name: string): Promise<void> {
  await recordWorkflowHistory(client, claimWorkflowId(claimNo), name);
}

/** The same for any workflow, by its id (a referral's monitoring procedure). */
export async function recordWorkflowHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(join(HISTORY_FIXTURES, `${name}.json`), historyToJSON(history));
}

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;

/**
 * The same for the first run of a claim that `isIt` picks: a claim's runs continue as new at their waits, so the run
 * in which something happened is not always its latest. Walks back from the latest run along the runs each continued.
 */
export async function recordClaimRun(
  client: Client,
  claimNo: string,
  name: string,
  isIt: (run: History) => boolean,
): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const workflowId = claimWorkflowId(claimNo);
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  let picked: History | undefined;
  while (runId) {
    const run: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    if (isIt(run)) picked = run;
    runId = run.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
  }
  if (!picked) throw new Error(`no run of claim ${claimNo} is the one for fixture ${name}`);
  writeFileSync(join(HISTORY_FIXTURES, `${name}.json`), historyToJSON(picked));
}

/** True for a run that set a search attribute to `value` (search attributes are not encrypted). */
export const setsSearchAttribute =
  (key: string, value: unknown) =>
  (run: History): boolean =>
    !!run.events?.some((e) => {
      const data = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.[key]?.data;
      return !!data && Buffer.from(data).toString() === JSON.stringify(value);
    });
