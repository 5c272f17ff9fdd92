import { z } from 'zod';
import { createAccountService } from '../api/services/accounts';
import { UsernameSchema } from '../api/contracts/accounts';
import { connectWithIndexes } from '../db/indexes';
import { createUserRepository } from '../db/repositories/users';
import { JurisdictionSchema } from '../domain/value-schemas';

/**
 * `npm run create-admin -- <username> <county code (6 digits)> [display name]`: a deployment's first administrator,
 * written to the database MONGODB_URI names, with a temporary password printed once (to be changed at the first
 * sign-in). The administrator then creates every other account in the workbench (用户管理). Audited as made by this
 * command; an existing username is left as it is.
 */
const Args = z.tuple([UsernameSchema, JurisdictionSchema]).rest(z.string().min(1).max(40));

async function main(): Promise<number> {
  const parsed = Args.safeParse(process.argv.slice(2));
  if (!parsed.success) {
    console.error('usage: npm run create-admin -- <username> <county division code, e.g. 341324> [display name]');
    return 2;
  }
  const [username, jurisdiction, ...name] = parsed.data;
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error('set MONGODB_URI to the deployment’s database (the local stack seeds its own accounts: see `npm start`)');
    return 2;
  }
  const connection = await connectWithIndexes({ uri, serverSelectionTimeoutMs: 10_000, autoIndex: false });
  try {
    // the account service's own rules (role level, jurisdiction) and audit; it signs no one in, so no token key is needed
    const accounts = createAccountService({
      users: createUserRepository(connection),
      auth: { secret: 'create-admin-signs-no-tokens-0123456789', issuer: 'fangpin', audience: 'fangpin-api', tokenTtlMs: 1 },
    });
    const created = await accounts.create(
      { userId: 'create-admin (command line)', role: 'admin', jurisdiction },
      { username, displayName: name.join(' ') || '县级管理员', role: 'admin', jurisdiction },
    );
    console.log(`administrator ${created.user.username} (${created.user.jurisdiction}) created`);
    console.log(`temporary password, shown once (must be changed at the first sign-in): ${created.temporaryPassword}`);
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  } finally {
    await connection.close();
  }
}

void main().then((code) => process.exit(code));
