import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Connection } from 'mongoose';
import { verifyPassword } from '../../api/auth/passwords';
import { createUserRepository } from '../../db/repositories/users';
import { connectTestDatabase, dropTestDatabase, testDatabaseUri } from '../helpers/servers';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** A deployment's first administrator, from the command line: a temporary password shown once, audited, never twice. */
describe('npm run create-admin', () => {
  const uri = testDatabaseUri();
  let connection: Connection;
  beforeAll(async () => {
    connection = await connectTestDatabase(uri);
  });
  afterAll(() => dropTestDatabase(connection));

  const createAdmin = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/create-admin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: uri },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('creates the administrator with a temporary password that must be changed, and refuses a second with the name', async () => {
    const first = await createAdmin('firstadmin', '341324', '县级管理员');
    expect(first.code).toBe(0);
    const temporary = /: ([A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})$/m.exec(first.stdout)?.[1];
    expect(temporary).toBeDefined();
    const users = createUserRepository(connection);
    const stored = await users.find('firstadmin');
    expect(stored).toMatchObject({ role: 'admin', jurisdiction: '341324', mustChangePassword: true, status: 'active' });
    expect(await verifyPassword(stored!.passwordHash, temporary!)).toBe(true);
    expect(await users.auditTrail('firstadmin')).toEqual([
      expect.objectContaining({ action: 'created', by: 'create-admin (command line)' }),
    ]);

    const again = await createAdmin('firstadmin', '341324');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('firstadmin');
    const bad = await createAdmin('x', '12');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage');
  }, 60_000);
});
