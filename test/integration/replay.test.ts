import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { HISTORY_FIXTURES } from '../helpers/histories';
import { createEncryptionCodec } from '../../common/crypto/payload-codec';
import { TEST_PII_KEY, workflowBundle } from '../helpers/claim-harness';
import { startTracing } from '../../common/tracing';
import { tracingPlugin } from '../../workers/tracing';

/**
 * Replays recorded histories of representative claims against the current workflow code. A non-deterministic change
 * (reordered activities, a new timer without `patched()`) makes this fail in CI.
 */
describe('recorded claim histories replay deterministically', () => {
  const files = readdirSync(HISTORY_FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort();

  test('the fixtures are there: the representative paths were recorded', () => {
    expect(files).toEqual([
      'auto-rejected.json',
      'bounce-and-corrected-account.json',
      'documents-requested.json',
      'early-warning-referral.json',
      'evicted-in-notice-after-refused-review.json',
      'insurer-deadlines-after-outage.json',
      'ledger-amount-review.json',
      'ledger-bank-mismatch.json',
      'ledger-cap-partial.json',
      'monitoring-eliminated.json',
      'monitoring-included.json',
      'paid-after-runs-continued-as-new.json',
      'paid-happy-path.json',
      'partial-then-top-up.json',
      'sandbox-documents-round.json',
      'settlement-feed.json',
      'traced-filing.json',
      'traced-paid-after-queries.json',
    ]);
  });

  test('the workflow bundle carries no zod: every module in it is evaluated again for each workflow instance', async () => {
    // zod's schemas cost 1.1 MiB of heap and 32 ms per workflow instance when they were in the bundle; workflow code
    // imports only the zod-free domain modules (domain/value-schemas.ts holds the primitive schemas)
    const { code } = await workflowBundle();
    expect(code).toContain('./workflows/claim/workflow.ts');
    expect(code.match(/node_modules\/zod\/[^"]*/g) ?? []).toEqual([]);
  });

  test('when each history is replayed on the current code, then no replay fails', async () => {
    const histories = files.map((f) => ({
      workflowId: f.replace('.json', ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORY_FIXTURES, f), 'utf8'))),
    }));
    const results: { workflowId: string; error: unknown }[] = [];
    for await (const result of Worker.runReplayHistories(
      // histories recorded since payloads are encrypted need the key; older ones pass through the codec unchanged
      {
        workflowBundle: await workflowBundle(),
        dataConverter: { payloadCodecs: [createEncryptionCodec(TEST_PII_KEY)] },
        plugins: [tracingPlugin(startTracing({ serviceName: 'replay' }))],
      },
      histories,
    )) {
      results.push({ workflowId: result.workflowId, error: result.error });
    }
    expect(results).toEqual(files.map((f) => ({ workflowId: f.replace('.json', ''), error: undefined })));
  });
});
