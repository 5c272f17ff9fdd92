import pino, { type DestinationStream, type Logger } from 'pino';
import { maskSensitiveText } from '../domain/masking';
import { activeTraceId } from './tracing';

export type { Logger };

/** Keys whose values are personal data or secrets, wherever they appear in a logged object. */
const SENSITIVE_KEYS = [
  'name',
  'holderName',
  'idNumber',
  'residentId',
  'holderId',
  'cardNumber',
  'accountNumber',
  'phone',
  'mobile',
  'password',
  'secret',
  'token',
  'authorization',
  'cookie',
  'x-signature',
  'body',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SENSITIVE_KEYS) {
    const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const dot = k.startsWith('[') ? '' : '.';
    // Top level too, except `name`: pino's own logger-name field lives there.
    if (key !== 'name') paths.push(k);
    paths.push(`*${dot}${k}`, `*.*${dot}${k}`, `*.*.*${dot}${k}`);
  }
  return paths;
}

/**
 * The one logger factory. Structured JSON, personal data redacted by key, and ID/card/phone-like digit runs
 * masked inside message strings as a second line of defence.
 */
export function createLogger(options: { level: string; name?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      name: options.name ?? 'fangpin',
      level: options.level,
      redact: { paths: redactPaths(), censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // the trace a line belongs to, when tracing is on (an API request, an activity, a partner call)
      mixin: () => {
        const traceId = activeTraceId();
        return traceId ? { traceId } : {};
      },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a: unknown) => (typeof a === 'string' ? maskSensitiveText(a) : a));
          method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
