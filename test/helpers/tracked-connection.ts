import { InterceptingCall, ListenerBuilder, RequesterBuilder, type Interceptor } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { pollUntil } from '../../common/poll';

/**
 * A Temporal client connection that knows its calls in flight, retries included, so a test can close it only once
 * none is left: the SDK's retry interceptor starts a retry from a timer, and a retry due after `close()` throws
 * "Channel has been shut down" out of that timer (an uncaught error that fails the whole test file). Closing first
 * stops scheduling retries, so a call that was retrying ends at its next attempt (at most the SDK's 5 s backoff
 * away) instead of retrying on past the wait.
 */
export async function connectTracked(address: string): Promise<{ connection: Connection; close(): Promise<void> }> {
  let inFlight = 0;
  let closing = false;
  const retry = defaultGrpcRetryOptions();
  // outermost: it sees a call start once and end once, with its final status after every retry
  const tracker: Interceptor = (options, nextCall) =>
    new InterceptingCall(
      nextCall(options),
      new RequesterBuilder()
        .withStart((metadata, _listener, next) => {
          inFlight += 1;
          next(
            metadata,
            new ListenerBuilder()
              .withOnReceiveStatus((status, nextStatus) => {
                inFlight -= 1;
                nextStatus(status);
              })
              .build(),
          );
        })
        .build(),
    );
  const connection = await Connection.connect({
    address,
    interceptors: [
      tracker,
      makeGrpcRetryInterceptor({
        delayFunction: retry.delayFunction,
        retryableDecider: (attempt, status) => !closing && retry.retryableDecider(attempt, status),
      }),
    ],
  });
  return {
    connection,
    async close() {
      closing = true;
      await pollUntil('the Temporal calls in flight to end', () => (inFlight === 0 ? true : undefined), {
        timeoutMs: 30_000,
        intervalMs: 50,
      }).catch(() => console.warn(`closing the Temporal connection with ${inFlight} calls still in flight`));
      await connection.close();
    },
  };
}
