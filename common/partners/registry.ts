/**
 * Who fangpin talks to: each insurer, the bank and the government data service, with its base URL and its one or two
 * active shared secrets. Loaded from the JSON file named by PARTNERS_FILE; validated at start-up; never logged.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const Secrets = z
  .array(z.string().min(32, 'secrets must be at least 32 characters'))
  .min(1)
  .max(2, 'at most two active secrets (current and next)');
const Endpoint = z.strictObject({ url: z.url(), secrets: Secrets });

export const PartnerRegistrySchema = z.strictObject({
  insurers: z.array(Endpoint.extend({ id: z.string().regex(/^[a-z0-9-]{2,40}$/) })).min(1),
  bank: Endpoint,
  dataSources: Endpoint,
});
export type PartnerRegistry = z.infer<typeof PartnerRegistrySchema>;

export function loadPartnerRegistry(path: string): PartnerRegistry {
  const parsed = PartnerRegistrySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `Invalid partner registry ${path}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

export const newSecret = (): string => randomBytes(32).toString('hex');
