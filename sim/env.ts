import { z } from 'zod';

/** The environment every simulator reads; each adds its own variables. Secrets are comma-separated (current,next). */
export const SimEnvSchema = z.object({
  SIM_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  SIM_SEED: z.coerce.number().int().default(1),
  PARTNER_SECRETS: z.string({ error: 'is required: the shared secret(s), comma-separated' }).transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
  FANGPIN_URL: z.url({ error: "must be fangpin's base URL, e.g. http://127.0.0.1:3000" }).default('http://127.0.0.1:3000'),
  LOG_LEVEL: z.string().default('info'),
});

export function parseSimEnv<S extends z.ZodObject>(
  extra: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<typeof SimEnvSchema> & z.infer<S> {
  const parsed = SimEnvSchema.extend(extra.shape).safeParse(env);
  if (!parsed.success) {
    console.error(
      `Invalid simulator configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
    process.exit(1);
  }
  return parsed.data as z.infer<typeof SimEnvSchema> & z.infer<S>;
}
