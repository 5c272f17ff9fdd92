import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { mintStaffToken } from '../api/auth/tokens';
import { loadConfig } from '../common/config';
import { STAFF_ROLES } from '../domain/lifecycle';
import { stackDir } from './stack/local-stack';
import { JurisdictionSchema } from '../domain/value-schemas';

/**
 * `npm run mint-token -- <role> <jurisdiction> <userId> [name]`: a staff bearer token for local use.
 * The key is AUTH_JWT_SECRET, or the local stack's (.stack/dev/auth.secret, written by `npm start`).
 */
const Args = z.tuple([z.enum(STAFF_ROLES), JurisdictionSchema, z.string().regex(/^[A-Za-z0-9._-]{1,64}$/)]).rest(z.string());

function main(): void {
  const parsed = Args.safeParse(process.argv.slice(2));
  if (!parsed.success) {
    console.error(`usage: npm run mint-token -- <${STAFF_ROLES.join('|')}> <division prefix: 6, 9 or 12 digits> <userId> [name]`);
    process.exit(2);
  }
  const [role, jurisdiction, userId, name] = parsed.data;
  const secretFile = join(stackDir('dev'), 'auth.secret');
  const secret = process.env.AUTH_JWT_SECRET ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined);
  if (!secret) {
    console.error('no key: set AUTH_JWT_SECRET, or run `npm start` once to create the local one');
    process.exit(1);
  }
  const env = { MONGODB_URI: 'mongodb://unused:1/x', TEMPORAL_ADDRESS: 'unused:1', ...process.env, AUTH_JWT_SECRET: secret };
  const auth = loadConfig(env).auth!;
  mintStaffToken(auth, { userId, role, jurisdiction, ...(name ? { name } : {}) }).then(
    (token) => console.log(token),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

main();
