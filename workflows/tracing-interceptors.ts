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
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { patched, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const TRACING_PATCH = 'otel-tracing';

export const interceptors: WorkflowInterceptorsFactory = () => {
  const inbound = new OpenTelemetryInboundInterceptor();
  const outbound = new OpenTelemetryOutboundInterceptor();
  let traced = false;
  return {
    inbound: [
      {
        execute: (input, next) => {
          traced = patched(TRACING_PATCH);
          return traced ? inbound.execute(input, next) : next(input);
        },
        handleSignal: (input, next) => (traced ? inbound.handleSignal(input, next) : next(input)),
        handleUpdate: (input, next) => (traced ? inbound.handleUpdate(input, next) : next(input)),
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
