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
