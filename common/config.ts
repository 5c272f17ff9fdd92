import { z } from 'zod';
import { DurationSchema } from './duration';
import { LINES, type Line } from '../domain/codes';
import type { SlaPolicy } from '../domain/sla';
import type { ClaimTimings } from '../workflows/claim/timings';

/**
 * The service's whole configuration: one zod schema over environment variables, parsed once at start-up.
 * Booleans are explicit enums ('true'/'false'), never `Boolean(string)`. Never log the parsed result.
 */
const envBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');
const port = z.coerce.number().int().min(0).max(65_535);
const positiveMs = z.coerce.number().int().positive();

const mongoUri = z
  .string({ error: 'is required (e.g. mongodb://127.0.0.1:27017/fangpin)' })
  .refine((value) => /^mongodb(\+srv)?:\/\/[^/\s]+/.test(value) && isParsableUrl(value), {
    message: 'must be a mongodb:// or mongodb+srv:// URI with a host (e.g. mongodb://127.0.0.1:27017/fangpin)',
  });

const hostPort = z
  .string({ error: 'is required (e.g. 127.0.0.1:7233)' })
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'must be host:port (e.g. 127.0.0.1:7233)');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  API_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb')
    .default('256kb'),
  MONGODB_URI: mongoUri,
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: positiveMs.default(2_000), // so a request answers 503 within 5 s while the database is down
  MONGODB_AUTO_INDEX: envBoolean.default(true),
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('fangpin-claims'),
  TEMPORAL_UI_URL: z.url().optional(),
  READINESS_TIMEOUT_MS: positiveMs.default(2_000),
  SHUTDOWN_GRACE_MS: positiveMs.default(10_000),
  /** HS256 key for staff bearer tokens (at least 32 characters). Without it the staff API is off. */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_ISSUER: z.string().min(1).default('fangpin'),
  AUTH_AUDIENCE: z.string().min(1).default('fangpin-api'),
  AUTH_TOKEN_TTL: DurationSchema.default(8 * 3_600_000),
  /** 64 hex characters: the key resident IDs, card and phone numbers are encrypted with at rest (AES-256-GCM). */
  PII_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (openssl rand -hex 32)')
    .optional(),
  /** JSON file naming each insurer, the bank and the data service with URLs and shared secrets (never logged). */
  PARTNERS_FILE: z.string().min(1).optional(),
  /** Directory of product JSON files (one per policy year); default: the shipped illustrative Sixian products. */
  PRODUCTS_DIR: z.string().min(1).optional(),
  PARTNER_TIMEOUT: DurationSchema.default(10_000),
  /** OTLP/HTTP endpoint for traces (e.g. http://127.0.0.1:4318); unset: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** How often the API and the worker re-read the partner registry (keys and URLs changed through the ops API). */
  PARTNER_REFRESH_INTERVAL: DurationSchema.default(5_000),
  /** How long a filing holds its Idempotency-Key; a retry after that takes over a filing whose request died. */
  FILING_LEASE: DurationSchema.default(30_000),
  /** The county whose government data feeds this deployment reads (its medical-insurance settlements). */
  FEED_COUNTY: z
    .string()
    .regex(/^\d{6}$/, 'must be a 6-digit county code')
    .default('341324'),
  /** How often the settlement feed is read when it is at its end; 0 turns the feed scan off. */
  FEED_SCAN_INTERVAL: z.union([z.literal('0').transform(() => 0), DurationSchema]).default(3_600_000),
  /** Crash tests only: the named failpoint where the process kills itself (common/failpoints.ts). Never set it elsewhere. */
  FANGPIN_FAILPOINT: z.string().min(1).optional(),
  PARTNER_REPLAY_WINDOW: DurationSchema.default(300_000),
  CLAIM_NOTICE_PERIOD: DurationSchema.default(5 * 86_400_000),
  CLAIM_INSURER_REMIND_AFTER: DurationSchema.default(10 * 86_400_000),
  CLAIM_INSURER_ESCALATE_AFTER: DurationSchema.default(30 * 86_400_000),
  /** Per-line overrides, e.g. {"health":"20d"} for the escalation SLA of one line. */
  CLAIM_INSURER_ESCALATE_BY_LINE: z
    .string()
    .transform((text, ctx) => {
      try {
        return z.partialRecord(z.enum(LINES), DurationSchema).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of line → duration, e.g. {"health":"20d"}' });
        return z.NEVER;
      }
    })
    .optional(),
  CLAIM_DOCUMENTS_DUE: DurationSchema.default(15 * 86_400_000),
  CLAIM_PAYOUT_CHECK_AFTER: DurationSchema.default(3_600_000),
  CLAIM_ACTIVITY_TIMEOUT: DurationSchema.default(30_000),
  /** Ops clocks: how long staff review stages, the bank and automatic steps may take before a claim counts as late. */
  OPS_REVIEW_SLA: DurationSchema.default(5 * 86_400_000),
  OPS_PAYOUT_SLA: DurationSchema.default(3 * 86_400_000),
  OPS_SYSTEM_SLA: DurationSchema.default(3_600_000),
  /** A claim with no stage change for this long is listed as stuck. */
  OPS_STUCK_AFTER: DurationSchema.default(7 * 86_400_000),
  /** host:port where the worker serves the Temporal SDK's Prometheus metrics (off when unset). */
  WORKER_METRICS_ADDRESS: hostPort.optional(),
  /** How many claim workflows the worker keeps in memory between tasks (the SDK's sticky cache); bounds its RSS. Unset: 4 MiB of heap each, at most 500 (workers/tuning.ts). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  /** How long a workflow task waits on the worker's own (sticky) queue before any worker may take it (SDK: 10 s). */
  WORKER_STICKY_QUEUE_TIMEOUT: DurationSchema.optional(),
  /** Workflow tasks the worker runs at once (SDK: 40, and never more than the cache). */
  WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(1_000).optional(),
  /** A prebuilt workflow bundle (npm run build's dist/workflow-bundle.js); default: beside a compiled worker, else bundled at start. */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
});

export type Env = z.input<typeof EnvSchema>;

/** Every environment variable the service reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

export interface Config {
  env: 'development' | 'test' | 'production';
  log: { level: string };
  api: { host: string; port: number; bodyLimit: string };
  mongo: { uri: string; serverSelectionTimeoutMs: number; autoIndex: boolean };
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string | undefined };
  readinessTimeoutMs: number;
  shutdownGraceMs: number;
  auth: { secret: string; issuer: string; audience: string; tokenTtlMs: number } | undefined;
  piiKey: string | undefined;
  partnersFile: string | undefined;
  productsDir: string | undefined;
  partnerTimeoutMs: number;
  partnerRefreshMs: number;
  otlpEndpoint: string | undefined;
  filingLeaseMs: number;
  partnerReplayWindowSeconds: number;
  claimTimings: ClaimTimings;
  feeds: { countyCode: string; scanIntervalMs: number };
  ops: { sla: SlaPolicy; stuckAfterMs: number };
  worker: {
    metricsAddress: string | undefined;
    maxCachedWorkflows: number | undefined;
    stickyQueueTimeoutMs: number | undefined;
    workflowTaskSlots: number | undefined;
    workflowBundle: string | undefined;
  };
}

/** Thrown at start-up when the environment is wrong; its message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: issue.path.join('.') || '(environment)', message: issue.message })),
    );
  }
  const e = parsed.data;
  const escalateAfter = perLine((line) => e.CLAIM_INSURER_ESCALATE_BY_LINE?.[line] ?? e.CLAIM_INSURER_ESCALATE_AFTER);
  return {
    env: e.NODE_ENV,
    log: { level: e.LOG_LEVEL },
    api: { host: e.API_HOST, port: e.API_PORT, bodyLimit: e.API_BODY_LIMIT },
    mongo: {
      uri: e.MONGODB_URI,
      serverSelectionTimeoutMs: e.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
      autoIndex: e.MONGODB_AUTO_INDEX,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: e.TEMPORAL_UI_URL,
    },
    readinessTimeoutMs: e.READINESS_TIMEOUT_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    auth: e.AUTH_JWT_SECRET
      ? { secret: e.AUTH_JWT_SECRET, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE, tokenTtlMs: e.AUTH_TOKEN_TTL }
      : undefined,
    piiKey: e.PII_KEY,
    partnersFile: e.PARTNERS_FILE,
    productsDir: e.PRODUCTS_DIR,
    partnerTimeoutMs: e.PARTNER_TIMEOUT,
    partnerRefreshMs: e.PARTNER_REFRESH_INTERVAL,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    filingLeaseMs: e.FILING_LEASE,
    partnerReplayWindowSeconds: Math.round(e.PARTNER_REPLAY_WINDOW / 1000),
    claimTimings: {
      noticeMs: e.CLAIM_NOTICE_PERIOD,
      insurerRemindAfterMs: perLine(() => e.CLAIM_INSURER_REMIND_AFTER),
      insurerEscalateAfterMs: escalateAfter,
      documentsDueMs: e.CLAIM_DOCUMENTS_DUE,
      payoutCheckAfterMs: e.CLAIM_PAYOUT_CHECK_AFTER,
      activityTimeoutMs: e.CLAIM_ACTIVITY_TIMEOUT,
    },
    feeds: { countyCode: e.FEED_COUNTY, scanIntervalMs: e.FEED_SCAN_INTERVAL },
    ops: {
      sla: {
        reviewMs: e.OPS_REVIEW_SLA,
        systemMs: e.OPS_SYSTEM_SLA,
        payoutMs: e.OPS_PAYOUT_SLA,
        noticeMs: e.CLAIM_NOTICE_PERIOD,
        documentsDueMs: e.CLAIM_DOCUMENTS_DUE,
        insurerEscalateAfterMs: escalateAfter,
      },
      stuckAfterMs: e.OPS_STUCK_AFTER,
    },
    worker: {
      metricsAddress: e.WORKER_METRICS_ADDRESS,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      stickyQueueTimeoutMs: e.WORKER_STICKY_QUEUE_TIMEOUT,
      workflowTaskSlots: e.WORKER_WORKFLOW_TASK_SLOTS,
      workflowBundle: e.WORKFLOW_BUNDLE,
    },
  };
}

function perLine(value: (line: Line) => number): Record<Line, number> {
  return Object.fromEntries(LINES.map((line) => [line, value(line)])) as Record<Line, number>;
}

function isParsableUrl(value: string): boolean {
  try {
    // mongodb+srv and multi-host URIs are not WHATWG URLs in full; the first host is enough to check shape.
    new URL(value.replace(/,[^/]*/, ''));
    return true;
  } catch {
    return false;
  }
}
