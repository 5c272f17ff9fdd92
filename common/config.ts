import { z } from 'zod';

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
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: positiveMs.default(5_000),
  MONGODB_AUTO_INDEX: envBoolean.default(true),
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('fangpin-claims'),
  TEMPORAL_UI_URL: z.url().optional(),
  READINESS_TIMEOUT_MS: positiveMs.default(2_000),
  SHUTDOWN_GRACE_MS: positiveMs.default(10_000),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'test' | 'production';
  log: { level: string };
  api: { host: string; port: number; bodyLimit: string };
  mongo: { uri: string; serverSelectionTimeoutMs: number; autoIndex: boolean };
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string | undefined };
  readinessTimeoutMs: number;
  shutdownGraceMs: number;
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
  };
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
