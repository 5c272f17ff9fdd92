import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundle } from '../helpers/claim-harness';
import { createCanaryActivities } from '../../workers/activities/canary';
import { canaryWorkflow } from '../../workflows';
import { canaryWorkflowId } from '../../workflows/ids';
import { createCanaryRepository } from '../../db/repositories/canaries';
import { connectTestDatabase, dropTestDatabase, testServers, uniqueName } from '../helpers/servers';
import type { Connection } from '../../db/connection';

describe('canary workflow on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let connection: Connection;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: testServers().temporalAddress });
    connection = await connectTestDatabase();
    bundle = await workflowBundle();
  });
  afterAll(async () => {
    await env?.teardown();
    await dropTestDatabase(connection);
  });

  test('when the canary runs, then its activities write and confirm the record in the database', async () => {
    const taskQueue = uniqueName('canary');
    const canaryId = uniqueName('c');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: createCanaryActivities({ canaries: createCanaryRepository(connection), now: () => new Date() }),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(canaryWorkflow, { taskQueue, workflowId: canaryWorkflowId(canaryId), args: [{ canaryId }] }),
    );
    expect(result).toEqual({ canaryId, confirmed: true });
    expect(await createCanaryRepository(connection).find(canaryId)).toMatchObject({ status: 'confirmed' });
  });
});
