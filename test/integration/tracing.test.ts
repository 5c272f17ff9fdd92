/**
 * One filing, one trace: the API's request span, the Temporal client's start, the workflow's run, each activity and
 * each partner call (with W3C trace context on the wire) share a trace id, collected by an in-process exporter; and
 * the log lines written inside it carry that id.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { pollUntil } from '../../common/poll';
import { traceparentsSeen } from '../../sim/common';
import { recordHistory } from '../helpers/histories';
import { aPropertyClaim } from '../fixtures/households';
import { Worker } from '@temporalio/worker';
import { createEncryptionCodec } from '../../common/crypto/payload-codec';
import { startTracing } from '../../common/tracing';
import { claimStateQuery } from '../../workflows/messages';
import { claimWorkflowId } from '../../workflows/ids';
import { tracingPlugin } from '../../workers/tracing';
import { people, startClaimHarness, TEST_PII_KEY, tokenFor, workflowBundle, type ClaimHarness } from '../helpers/claim-harness';

jest.setTimeout(120_000);

const exporter = new InMemorySpanExporter();
let h: ClaimHarness;
beforeAll(async () => {
  h = await startClaimHarness({ traceExporter: exporter });
});
afterAll(async () => h?.stop());

test('a filing through the API is one trace across the API, the workflow, its activities and the partner calls', async () => {
  const household = await h.newHousehold();
  const claim = aPropertyClaim(household.householdId);
  const token = await tokenFor(people.filer);
  await h.upload(claim.documents, token);
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const filed = await fetch(`${h.apiUrl}/claims`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', traceparent },
    body: JSON.stringify(claim),
  });
  expect(filed.status).toBe(202);
  const { claimNo } = (await filed.json()) as { claimNo: string };
  const traceId = traceparent.split('-')[1]!;
  const inTrace = () => exporter.getFinishedSpans().filter((s: ReadableSpan) => s.spanContext().traceId === traceId);
  // the workflow runs its first activities (eligibility, the data sources' cross-checks) in the caller's trace
  const spans = await pollUntil(
    'the workflow and its activities in the trace',
    () => {
      const found = inTrace();
      const names = found.map((s) => s.name);
      return Promise.resolve(
        names.some((n) => n.startsWith('RunActivity:')) && names.some((n) => n.startsWith('partner ')) ? found : undefined,
      );
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  const names = spans.map((s) => s.name);
  expect(names).toEqual(
    // the workflow's own spans (its run span ends with the claim): each activity it schedules, then runs on the worker
    expect.arrayContaining([
      'HTTP POST /claims',
      'StartWorkflow:claimWorkflow',
      'StartActivity:assessClaim',
      'RunActivity:assessClaim',
    ]),
  );
  const api = spans.find((s) => s.name === 'HTTP POST /claims')!;
  expect(api.parentSpanId).toBe('b7ad6b7169203331'); // continued from the caller's traceparent
  expect(api.attributes['http.response.status_code']).toBe(202);
  const partner = spans.find((s) => s.name.startsWith('partner '))!;
  expect(partner.attributes['url.path']).toMatch(/\/query$/);
  // the data source received the trace context on the wire
  expect(traceparentsSeen(h.govSim.app).some((t) => t.includes(traceId))).toBe(true);
  // a traced workflow's history (it carries the otel-tracing patch) replays on the current code too
  await h.waitFor(claimNo, 'village_review');
  await recordHistory(h.client, claimNo, 'traced-filing');
});

test('a traced claim read by queries, refused once and then moved by people replays as it ran', async () => {
  const household = await h.newHousehold();
  const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer);
  await h.waitFor(claimNo, 'village_review');
  // a read of the live state before each action, as the claim page does, and a refused action (the filer's own
  // review: the update's validator rejects it, and a rejected update leaves nothing in the history)
  const handle = h.client.workflow.getHandle(claimWorkflowId(claimNo));
  await handle.query(claimStateQuery);
  await expect(h.service.act(claimNo, { action: 'review', actor: people.filer })).rejects.toThrow();
  await h.service.act(claimNo, { action: 'review', actor: people.village });
  await h.waitFor(claimNo, 'township_review');
  await handle.query(claimStateQuery);
  await h.service.act(claimNo, { action: 'approve', actor: people.township });
  await h.waitFor(claimNo, 'county_approval');
  await handle.query(claimStateQuery);
  await h.service.act(claimNo, { action: 'approve', actor: people.county });
  // the insurer's decision arrives as an update that ends the wait for it (a timer cancelled in the same task)
  expect((await h.waitFor(claimNo, 'closed')).status).toBe('paid');
  // each accepted action ran in a span of its own (the workflow's update span, which adds no yield to the handler)
  const updateSpans = await pollUntil('the update spans of the three actions', () => {
    const found = exporter.getFinishedSpans().filter((s) => s.name === 'HandleUpdate:claimAction');
    return found.length >= 3 ? found : undefined;
  });
  expect(updateSpans.every((s) => typeof s.attributes.temporalUpdateId === 'string')).toBe(true);
  const replayed = await Worker.runReplayHistory(
    {
      workflowBundle: await workflowBundle(),
      dataConverter: { payloadCodecs: [createEncryptionCodec(TEST_PII_KEY)] },
      plugins: [tracingPlugin(startTracing({ serviceName: 'replay' }))],
    },
    await handle.fetchHistory(),
    handle.workflowId,
  ).then(
    () => 'replayed',
    (error: unknown) => error,
  );
  expect(replayed).toBe('replayed');
  await recordHistory(h.client, claimNo, 'traced-paid-after-queries');
});
