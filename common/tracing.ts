/**
 * OpenTelemetry tracing, one setup for every process: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test hands
 * in an exporter), then spans go over OTLP/HTTP. The API's request spans, the Temporal client's start/update spans,
 * the workflow's and each activity's spans (Temporal's interceptors, carried in workflow headers) and each partner
 * call (W3C `traceparent` on the request) share one trace; log lines carry its id (common/logger.ts).
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  enabled: boolean;
  resource: Resource;
  /** Where spans go (a no-op when tracing is off); the worker hands it to Temporal's workflow span sink. */
  processor: SpanProcessor;
  shutdown(): Promise<void>;
}

export function startTracing({
  serviceName,
  otlpEndpoint,
  exporter,
}: {
  serviceName: string;
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318 (spans go to …/v1/traces). */
  otlpEndpoint?: string | undefined;
  /** A test's in-process exporter (spans exported one at a time, at once). */
  exporter?: SpanExporter;
}): Tracing {
  const resource = new Resource({ 'service.name': serviceName, 'service.namespace': 'fangpin' });
  if (!otlpEndpoint && !exporter) {
    return { enabled: false, resource, processor: new NoopSpanProcessor(), shutdown: () => Promise.resolve() };
  }
  const processor = exporter
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint!.replace(/\/$/, '')}/v1/traces` }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager(), propagator: new W3CTraceContextPropagator() });
  return { enabled: true, resource, processor, shutdown: () => provider.shutdown() };
}

const tracer = () => trace.getTracer('fangpin');

/** The id of the trace the caller runs in, when one is being recorded (for log lines). */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  const ctx = span?.spanContext();
  return ctx && span!.isRecording() ? ctx.traceId : undefined;
}

/** Runs `work` in a client span named `name`, with the W3C trace context written into `headers` for the callee. */
export async function withClientSpan<T>(
  name: string,
  attributes: Record<string, string>,
  headers: Record<string, string>,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    propagation.inject(context.active(), headers);
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
