import { ApplicationFailure } from '@temporalio/activity';
import { postSigned, type SignedPostResult } from '../../common/partners/client';
import { withClientSpan } from '../../common/tracing';

/**
 * One signed call to a partner, classified for Temporal's retry policy: network errors, timeouts, 5xx, 408 and 429
 * are retryable (thrown as plain errors); any other 4xx is the partner refusing the message (non-retryable).
 */
export async function callPartner(
  partner: string,
  options: { url: string; body: unknown; secrets: readonly string[]; deliveryId: string; timeoutMs: number },
  acceptable: (status: number) => boolean = (s) => s >= 200 && s < 300,
): Promise<SignedPostResult> {
  const url = new URL(options.url);
  const traceHeaders: Record<string, string> = {};
  const result = await withClientSpan(
    `partner ${partner}`,
    { 'server.address': url.host, 'url.path': url.pathname, 'fangpin.delivery_id': options.deliveryId },
    traceHeaders,
    async (span) => {
      try {
        const answer = await postSigned({ ...options, headers: traceHeaders });
        span.setAttribute('http.response.status_code', answer.status);
        return answer;
      } catch (error) {
        throw new Error(`${partner} unreachable: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  );
  if (acceptable(result.status)) return result;
  if (result.status >= 500 || result.status === 408 || result.status === 429) {
    throw new Error(`${partner} answered ${result.status}`);
  }
  throw ApplicationFailure.create({
    type: 'ERR_PARTNER_REFUSED',
    message: `${partner} refused the message with ${result.status}`,
    nonRetryable: true,
    details: [{ status: result.status, body: result.body }],
  });
}
