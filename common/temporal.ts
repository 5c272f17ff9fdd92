import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { grpc } from '@temporalio/proto';
import { status as grpcStatus, type StatusObject } from '@grpc/grpc-js';

const SERVING = grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;

export interface TemporalOptions {
  address: string;
  namespace: string;
  /** Encrypts payloads (see common/crypto/payload-codec.ts); the worker must use the same one. */
  payloadCodec?: PayloadCodec;
}

export interface TemporalClient {
  connection: Connection;
  client: Client;
}

/**
 * How long the API lets one call try to reach Temporal: the SDK's default (10 attempts, ~20 s of backoff) kept a
 * clerk waiting 20 s for a 503 while Temporal was down. Six attempts back off 0.17 + 0.29 + 0.49 + 0.84 + 1.4 s
 * (±20 %): a call that cannot get through answers within ~4 s, and a restart of a second or two is still ridden out.
 */
export const API_RPC_ATTEMPTS = 6;
/**
 * How long before the first retry of a call Temporal refused (later ones back off ×1.7). Temporal answers
 * RESOURCE_EXHAUSTED when it sheds load (back off from 1 s, as the SDK does) and also when an update met a run that
 * was continuing as new ("workflow is closing"): the claim's next run already exists then, so that call is retried
 * within 0.1 s (1.7 × 50 ms). With the SDK's 1 s, one review in eight waited 2 s in bench:worker (a claim's run
 * restarts as it starts waiting for the village).
 */
export function firstRetryAfterMs({ code, details }: Pick<StatusObject, 'code' | 'details'>): number {
  if (code !== grpcStatus.RESOURCE_EXHAUSTED) return 100;
  return /workflow is closing/i.test(details) ? 50 : 1_000;
}

/** The first connection of a lazily connected client waits this long for Temporal (the SDK's default is 10 s). */
export const API_CONNECT_TIMEOUT_MS = 3_000;

/** The Temporal client interceptors every client of ours carries: OpenTelemetry's, for one trace across processes. */
export const TRACING_CLIENT_INTERCEPTORS = { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };

/** The API's Temporal client. `Connection.lazy` lets the API start (and report not-ready) while Temporal is down. */
export function createTemporalClient({ address, namespace, payloadCodec }: TemporalOptions): TemporalClient {
  const connection = Connection.lazy({
    address,
    connectTimeout: API_CONNECT_TIMEOUT_MS,
    interceptors: [
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: API_RPC_ATTEMPTS, initialIntervalMs: firstRetryAfterMs })),
    ],
  });
  return {
    connection,
    client: new Client({
      connection,
      namespace,
      // starts, updates and signals join the caller's trace and carry it to the workflow (no-op while tracing is off)
      interceptors: TRACING_CLIENT_INTERCEPTORS,
      ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}),
    }),
  };
}

/** Answers within `timeoutMs` whether the Temporal frontend reports SERVING. */
export async function pingTemporal(connection: Connection, timeoutMs: number): Promise<void> {
  const response = await connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
  if (response.status !== SERVING) throw new Error(`health status ${String(response.status)}`);
}
