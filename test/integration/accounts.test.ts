import { hashPassword } from '../../api/auth/passwords';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../api/auth/session-cookie';
import { LOCK_AFTER_FAILURES } from '../../api/services/accounts';
import { pollUntil } from '../../common/poll';
import { startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { uniqueName } from '../helpers/servers';

/** Staff accounts against the real API and database: sign-in, sessions, lockout, the administrator's changes. */
describe('staff accounts and sign-in', () => {
  let h: ClaimHarness;
  const adminName = uniqueName('admin')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 20);
  const adminPassword = 'county-admin-2026';
  let adminToken: string;

  async function api(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const res = await fetch(`${h.apiUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
  }
  const signIn = (username: string, password: string, headers: Record<string, string> = {}) =>
    api('POST', '/session', { body: { username, password }, headers });
  const name = (prefix: string) => `${prefix}${adminName.slice(-8)}${Math.floor(Math.random() * 1e6)}`;

  /** An account the administrator creates with a password of its own (no forced change). */
  async function createUser(role: string, jurisdiction: string, password = 'village-pass-2026') {
    const username = name(role.slice(0, 3));
    const created = await api('POST', '/admin/users', {
      token: adminToken,
      body: { username, displayName: `测试${role}`, role, jurisdiction, password },
    });
    expect(created.status).toBe(201);
    return { username, password, version: created.body.user.version as number };
  }

  beforeAll(async () => {
    h = await startClaimHarness();
    await h.stores.users.create({
      username: adminName,
      displayName: '县级管理员',
      role: 'admin',
      jurisdiction: '341324',
      passwordHash: await hashPassword(adminPassword),
      mustChangePassword: false,
      createdBy: 'test',
    });
    const signed = await signIn(adminName, adminPassword);
    expect(signed.status).toBe(200);
    adminToken = signed.body.token;
  });
  afterAll(() => h.stop());

  it('a new account with a temporary password must change it first; the change ends the temporary session', async () => {
    const username = name('vil');
    const created = await api('POST', '/admin/users', {
      token: adminToken,
      body: { username, displayName: '村干部丙', role: 'village', jurisdiction: '341324105003' },
    });
    expect(created.status).toBe(201);
    const temporary = created.body.temporaryPassword as string;
    expect(temporary).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    expect(JSON.stringify(created.body)).not.toContain('passwordHash');

    const first = await signIn(username, temporary);
    expect(first.status).toBe(200);
    expect(first.body.user).toMatchObject({ username, role: 'village', mustChangePassword: true });
    const blocked = await api('GET', '/claims', { token: first.body.token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const weak = await api('POST', '/session/password', {
      token: first.body.token,
      body: { currentPassword: temporary, newPassword: 'short1' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.fieldErrors[0].path).toBe('newPassword');
    expect(weak.body.fieldErrors[0].message).toMatch(/[\u4e00-\u9fff]/);

    const changed = await api('POST', '/session/password', {
      token: first.body.token,
      body: { currentPassword: temporary, newPassword: 'my-new-pass-42' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    expect((await api('GET', '/claims', { token: changed.body.token })).status).toBe(200);
    // the session signed in with the temporary password is over
    const old = await api('GET', '/session', { token: first.body.token });
    expect(old.status).toBe(401);
    expect((await signIn(username, temporary)).status).toBe(401);
    expect((await signIn(username, 'my-new-pass-42')).status).toBe(200);
  });

  it('an unknown user and a wrong password get the same answer; five wrong passwords lock the account', async () => {
    const user = await createUser('village', '341324105003');
    const unknown = await signIn(name('nobody'), 'whatever-123');
    const wrong = await signIn(user.username, 'wrong-password-1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.detail).toBe('用户名或密码不正确。');

    for (let i = 2; i < LOCK_AFTER_FAILURES; i++) expect((await signIn(user.username, `wrong-password-${i}`)).status).toBe(401);
    const locked = await signIn(user.username, 'wrong-password-5');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    // the right password does not open a locked account
    expect((await signIn(user.username, user.password)).status).toBe(429);

    const current = await api('GET', `/admin/users/${user.username}`, { token: adminToken });
    expect(current.body.lockedUntil).not.toBeNull();
    const unlocked = await api('PATCH', `/admin/users/${user.username}`, {
      token: adminToken,
      body: { version: current.body.version, unlock: true },
    });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.lockedUntil).toBeNull();
    expect((await signIn(user.username, user.password)).status).toBe(200);
  });

  it('the browser session is an HttpOnly SameSite cookie, and its writes need the CSRF token', async () => {
    const user = await createUser('village', '341324105003');
    const signed = await signIn(user.username, user.password);
    const cookies = signed.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    const csrf = cookies.find((c) => c.startsWith(`${CSRF_COOKIE}=`))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    const cookie = [session, csrf].map((c) => c.split(';')[0]).join('; ');

    expect((await api('GET', '/claims', { headers: { cookie } })).status).toBe(200);
    const me = await api('GET', '/session', { headers: { cookie } });
    expect(me.body.user).toMatchObject({ username: user.username, displayName: '测试village' });

    const preview = { householdId: 'HS00000001', memberId: 'm1', line: 'property', eventDate: '2026-07-01' };
    const noCsrf = await api('POST', '/claims/preview', { headers: { cookie }, body: preview });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.detail).toContain('安全校验码');
    const wrongCsrf = await api('POST', '/claims/preview', {
      headers: { cookie, 'x-csrf-token': 'x'.repeat(43) },
      body: preview,
    });
    expect(wrongCsrf.status).toBe(403);
    // with the token the request reaches the route (its own validation answers, not the CSRF check)
    const withCsrf = await api('POST', '/claims/preview', {
      headers: { cookie, 'x-csrf-token': signed.body.csrfToken },
      body: preview,
    });
    expect(withCsrf.status).not.toBe(403);
    expect(withCsrf.status).not.toBe(401);

    const out = await api('DELETE', '/session', { headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join(';')).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
  });

  it('disabling or re-scoping an account ends its sessions; its audit trail says who did what, without the password', async () => {
    const user = await createUser('village', '341324105003');
    const signed = await signIn(user.username, user.password);
    expect((await api('GET', '/claims', { token: signed.body.token })).status).toBe(200);

    const disabled = await api('PATCH', `/admin/users/${user.username}`, {
      token: adminToken,
      body: { version: user.version, status: 'disabled' },
    });
    expect(disabled.status).toBe(200);
    await pollUntil(
      'the disabled account’s session to be refused',
      async () => ((await api('GET', '/claims', { token: signed.body.token })).status === 401 ? true : undefined),
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const refused = await signIn(user.username, user.password);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('停用');

    // a stale version is refused, not merged
    const stale = await api('PATCH', `/admin/users/${user.username}`, {
      token: adminToken,
      body: { version: user.version, displayName: '旧版本' },
    });
    expect(stale.status).toBe(409);

    const enabled = await api('PATCH', `/admin/users/${user.username}`, {
      token: adminToken,
      body: { version: disabled.body.version, status: 'active', role: 'township', jurisdiction: '341324105' },
    });
    expect(enabled.status).toBe(200);
    const township = await signIn(user.username, user.password);
    expect(township.body.user).toMatchObject({ role: 'township', jurisdiction: '341324105' });

    const trail = await api('GET', `/admin/users/${user.username}/audit`, { token: adminToken });
    expect((trail.body.items as { action: string }[]).map((e) => e.action)).toEqual(['updated', 'updated', 'created']);
    expect(trail.body.items[0]).toMatchObject({ by: adminName, byRole: 'admin' });
    expect(JSON.stringify(trail.body)).not.toMatch(/passwordHash|argon2/);
  });

  it('an administrator works only within the administrator’s jurisdiction, and each role at its level', async () => {
    const outside = await api('POST', '/admin/users', {
      token: adminToken,
      body: { username: name('out'), displayName: '外县', role: 'county', jurisdiction: '341322' },
    });
    expect(outside.status).toBe(403);
    const wrongLevel = await api('POST', '/admin/users', {
      token: adminToken,
      body: { username: name('lvl'), displayName: '层级不符', role: 'village', jurisdiction: '341324105' },
    });
    expect(wrongLevel.status).toBe(400);
    expect(wrongLevel.body.fieldErrors).toEqual([{ path: 'jurisdiction', message: '村级经办人的辖区须为 12 位区划代码' }]);
    const user = await createUser('township', '341324105');
    const taken = await api('POST', '/admin/users', {
      token: adminToken,
      body: { username: user.username, displayName: '重名', role: 'township', jurisdiction: '341324105' },
    });
    expect(taken.status).toBe(409);
    const invalid = await api('POST', '/admin/users', { token: adminToken, body: { username: '1x', role: 'mayor' } });
    expect(invalid.status).toBe(400);
    expect((invalid.body.fieldErrors as { path: string }[]).map((f) => f.path).sort()).toEqual([
      'displayName',
      'jurisdiction',
      'role',
      'username',
    ]);

    // not an administrator: no account management at all
    const township = await signIn(user.username, user.password);
    expect((await api('GET', '/admin/users', { token: township.body.token })).status).toBe(403);
    const listed = await api('GET', '/admin/users', { token: adminToken });
    expect((listed.body.items as { username: string }[]).map((u) => u.username)).toContain(user.username);
    expect(JSON.stringify(listed.body)).not.toMatch(/passwordHash|argon2/);
    // the administrator cannot lock itself out
    const me = await api('GET', `/admin/users/${adminName}`, { token: adminToken });
    const selfDisable = await api('PATCH', `/admin/users/${adminName}`, {
      token: adminToken,
      body: { version: me.body.version, status: 'disabled' },
    });
    expect(selfDisable.status).toBe(422);
  });
});
