import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../common/logger';
import { maskUrl } from '../../domain/masking';
import { claimWorkflowId } from '../../workflows/ids';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
const CLAIM_NO_IN_URL = /\/(FP-\d{8}-\d{6}-\d{6})(?:[/?]|$)/;

/** The claim a request is about: set by the route (filing, callbacks) or read from the URL. */
function claimOf(req: IncomingMessage, res: ServerResponse): { claimNo: string; workflowId: string } | undefined {
  const fromRoute = (res as ServerResponse & { locals?: { claimNo?: unknown } }).locals?.claimNo;
  const claimNo = typeof fromRoute === 'string' ? fromRoute : CLAIM_NO_IN_URL.exec(req.url ?? '')?.[1];
  return claimNo ? { claimNo, workflowId: claimWorkflowId(claimNo) } : undefined;
}

/**
 * Gives every request an id (the caller's `X-Request-Id` when well-formed, else a new UUID), echoes it back,
 * and binds a child logger that carries it on every line, with claimNo and workflowId when the request concerns a
 * claim. Bodies are never logged; headers only by allow-list.
 */
export function requestContext(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customProps: (req, res) => ({ requestId: req.id, ...claimOf(req, res) }),
    serializers: {
      // URLs can carry a resident ID in a query (household search): digit runs that look like one are masked.
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: maskUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
  });
}
