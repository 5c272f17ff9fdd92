/**
 * The workflows' OpenTelemetry interceptors, bundled into every workflow bundle (workers/tracing.ts). Temporal's own
 * interceptors add yields that replaying a history recorded without them does not expect (histories of claims that
 * were open when tracing arrived fail with nondeterminism: the replay test caught it), so they run only in workflows
 * that carry the `otel-tracing` patch: every workflow started from now on; those already running stay untraced.
 * The patch is asked once, when the workflow starts.
 *
 * Queries and update validators are not traced. Temporal's interceptors gate their update spans on an SDK flag
 * the worker records in the history of the workflow task that first asks for it; asked first by a query or by the
 * validator of a rejected update, whose tasks leave no history, the flag stayed on in the worker's memory and absent
 * from the history, so every later update ran with the span's extra yields live and without them on replay: the
 * history of a paid claim failed to replay at the insurer's decision (test/integration/tracing.test.ts).
 *
 * The same flag still differed between a live run and its replay on a worker whose cache is far smaller than its open
 * claims (bench:worker, cache 20): a claim evicted while in public notice failed to replay when its timer fired, at a
 * village review whose span had run live (its yields let the workflow schedule an activity before the update
 * completed) while the history did not record the flag. So updates of workflows carrying the `otel-update-spans`
 * patch get a span of this module's own, which asks no SDK flag and adds no yield: the update runs exactly as it
 * would untraced, live and on replay alike. Workflows traced before that patch keep Temporal's update span.
 */
import * as otel from '@opentelemetry/api';
import { extractContextFromHeaders, UPDATE_ID_ATTR_KEY } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import {
  patched,
  type Next,
  type UpdateInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';

export const TRACING_PATCH = 'otel-tracing';
export const UPDATE_SPANS_PATCH = 'otel-update-spans';

/** The update's span, started and ended around the handler's own promise: nothing awaited, no SDK flag asked. */
function handleUpdateInSpan(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
  const parent = extractContextFromHeaders(input.headers) ?? otel.context.active();
  const span = otel.trace
    .getTracer('@temporalio/interceptor-workflow')
    .startSpan(`HandleUpdate:${input.name}`, { attributes: { [UPDATE_ID_ATTR_KEY]: input.updateId } }, parent);
  const handled = otel.context.with(otel.trace.setSpan(parent, span), () => next(input));
  handled.then(
    () => {
      span.setStatus({ code: otel.SpanStatusCode.OK });
      span.end();
    },
    (error: unknown) => {
      span.setStatus({ code: otel.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    },
  );
  return handled;
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  const inbound = new OpenTelemetryInboundInterceptor();
  const outbound = new OpenTelemetryOutboundInterceptor();
  let traced = false;
  let ownUpdateSpans = false;
  return {
    inbound: [
      {
        execute: (input, next) => {
          traced = patched(TRACING_PATCH);
          ownUpdateSpans = traced && patched(UPDATE_SPANS_PATCH);
          return traced ? inbound.execute(input, next) : next(input);
        },
        handleSignal: (input, next) => (traced ? inbound.handleSignal(input, next) : next(input)),
        handleUpdate: (input, next) =>
          ownUpdateSpans ? handleUpdateInSpan(input, next) : traced ? inbound.handleUpdate(input, next) : next(input),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => (traced ? outbound.scheduleActivity(input, next) : next(input)),
        scheduleLocalActivity: (input, next) => (traced ? outbound.scheduleLocalActivity(input, next) : next(input)),
        startChildWorkflowExecution: (input, next) => (traced ? outbound.startChildWorkflowExecution(input, next) : next(input)),
        continueAsNew: (input, next) => (traced ? outbound.continueAsNew(input, next) : next(input)),
        signalWorkflow: (input, next) => (traced ? outbound.signalWorkflow(input, next) : next(input)),
      },
    ],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
