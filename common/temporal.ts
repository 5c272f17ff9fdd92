import { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { grpc } from '@temporalio/proto';

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

/** The API's Temporal client. `Connection.lazy` lets the API start (and report not-ready) while Temporal is down. */
export function createTemporalClient({ address, namespace, payloadCodec }: TemporalOptions): TemporalClient {
  const connection = Connection.lazy({ address });
  return {
    connection,
    client: new Client({ connection, namespace, ...(payloadCodec ? { dataConverter: { payloadCodecs: [payloadCodec] } } : {}) }),
  };
}

/** Answers within `timeoutMs` whether the Temporal frontend reports SERVING. */
export async function pingTemporal(connection: Connection, timeoutMs: number): Promise<void> {
  const response = await connection.withDeadline(Date.now() + timeoutMs, () => connection.healthService.check({}));
  if (response.status !== SERVING) throw new Error(`health status ${String(response.status)}`);
}
