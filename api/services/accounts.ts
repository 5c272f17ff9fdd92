import { AppError, fieldError, type Bilingual } from '../../common/errors';
import type { StoredUser, UserChange, UserRepository } from '../../db/repositories/users';
import { isInJurisdiction } from '../../domain/divisions';
import { ROLE_LABELS, type StaffRole } from '../../domain/lifecycle';
import type { Actor } from '../../workflows/claim/types';
import { AttemptLimiter } from '../auth/attempt-limiter';
import { decoyHash, hashPassword, temporaryPassword, verifyPassword } from '../auth/passwords';
import { mintStaffToken, type AuthSettings, type TokenSession } from '../auth/tokens';

/** Five wrong passwords in a row lock an account for 15 minutes; 20 failed attempts a minute per client address. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;
const ADDRESS_FAILURES_PER_MINUTE = 20;
/** How long an account's state may be taken from memory when checking a session (disable takes effect within it). */
const SESSION_CHECK_CACHE_MS = 5_000;

/** Each role works at one level of the division codes: a village's 12 digits, a township's 9, a county's 6. */
const ROLE_CODE_LENGTH: Record<StaffRole, number> = { village: 12, township: 9, county: 6, ops: 6, admin: 6 };

export interface UserView {
  username: string;
  displayName: string;
  role: StaffRole;
  roleLabel: Bilingual;
  jurisdiction: string;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  version: number;
}

export const userView = (user: StoredUser): UserView => ({
  username: user.username,
  displayName: user.displayName,
  role: user.role,
  roleLabel: ROLE_LABELS[user.role],
  jurisdiction: user.jurisdiction,
  status: user.status,
  mustChangePassword: user.mustChangePassword,
  lockedUntil: user.lockedUntil && user.lockedUntil.getTime() > Date.now() ? user.lockedUntil.toISOString() : null,
  lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
  version: user.version,
});

const actorOfUser = (user: StoredUser): Actor => ({
  userId: user.username,
  role: user.role,
  jurisdiction: user.jurisdiction,
  name: user.displayName,
});

export interface SignedIn {
  token: string;
  expiresAt: string;
  user: UserView;
}

const WRONG_CREDENTIALS = new AppError('UNAUTHENTICATED', {
  zh: '用户名或密码不正确。',
  en: 'The username or password is not correct.',
});

const sessionEnded = (zh: string, en: string) =>
  new AppError('UNAUTHENTICATED', { zh: `${zh}，请重新登录。`, en: `${en}; sign in again.` });

function lockedError(until: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AppError(
    'TOO_MANY_REQUESTS',
    {
      zh: `密码连续错误 ${LOCK_AFTER_FAILURES} 次，账号已锁定，请 ${Math.ceil(seconds / 60)} 分钟后再试，或联系县级管理员解锁。`,
      en: `${LOCK_AFTER_FAILURES} wrong passwords in a row: the account is locked for ${Math.ceil(seconds / 60)} more minutes (an administrator can unlock it).`,
    },
    { retryAfterSeconds: seconds, lockedUntil: until.toISOString() },
  );
}

function checkRoleJurisdiction(role: StaffRole, jurisdiction: string, path: string): void {
  const length = ROLE_CODE_LENGTH[role];
  if (jurisdiction.length !== length)
    throw new AppError('VALIDATION_FAILED', undefined, {
      fieldErrors: [
        fieldError(
          path,
          `${ROLE_LABELS[role].zh}的辖区须为 ${length} 位区划代码`,
          `a ${role} account's jurisdiction must be a ${length}-digit division code`,
        ),
      ],
    });
}

export function createAccountService(deps: { users: UserRepository; auth: AuthSettings }) {
  const { users, auth } = deps;
  const addresses = new AttemptLimiter(ADDRESS_FAILURES_PER_MINUTE, 60_000);
  const sessionCache = new Map<string, { user: StoredUser | null; until: number }>();

  async function issue(user: StoredUser): Promise<SignedIn> {
    const token = await mintStaffToken(auth, actorOfUser(user), auth.tokenTtlMs, {
      mustChangePassword: user.mustChangePassword,
      epoch: user.sessionEpoch,
    });
    return { token, expiresAt: new Date(Date.now() + auth.tokenTtlMs).toISOString(), user: userView(user) };
  }

  /** The account an administrator may manage: inside the administrator's jurisdiction, else as if it did not exist. */
  async function managed(admin: Actor, username: string): Promise<StoredUser> {
    const user = await users.find(username);
    if (!user || !isInJurisdiction(user.jurisdiction, admin.jurisdiction))
      throw new AppError('NOT_FOUND', { zh: `未找到用户 ${username}。`, en: `No user ${username}.` });
    return user;
  }

  async function applyChange(
    admin: Actor,
    user: StoredUser,
    version: number,
    change: UserChange,
    endSessions: boolean,
    action: string,
  ) {
    const updated = await users.update(user.username, version, change, endSessions);
    if (!updated)
      throw new AppError('CONFLICT', {
        zh: '该账号已被他人修改，请刷新后重试。',
        en: 'The account changed since you read it; reload and try again.',
      });
    sessionCache.delete(user.username);
    await users.audit({ username: user.username, action, by: admin, before: auditable(user), after: auditable(updated) });
    return updated;
  }

  return {
    /**
     * Checks a password and issues a session token. Unknown users and wrong passwords get the same answer after the
     * same work; failures count on the account (locked after five in a row) and per client address.
     */
    async signIn(username: string, password: string, clientAddress: string): Promise<SignedIn> {
      const wait = addresses.retryAfter(clientAddress);
      if (wait !== undefined)
        throw new AppError(
          'TOO_MANY_REQUESTS',
          { zh: '登录尝试过于频繁，请稍后再试。', en: 'Too many sign-in attempts from this address; wait a little.' },
          { retryAfterSeconds: wait },
        );
      const user = await users.find(username);
      if (!user) {
        await verifyPassword(await decoyHash(), password);
        addresses.fail(clientAddress);
        throw WRONG_CREDENTIALS;
      }
      if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) throw lockedError(user.lockedUntil);
      if (!(await verifyPassword(user.passwordHash, password))) {
        addresses.fail(clientAddress);
        const after = await users.recordFailure(username, LOCK_AFTER_FAILURES, LOCK_MS);
        if (after?.lockedUntil && after.lockedUntil.getTime() > Date.now()) throw lockedError(after.lockedUntil);
        throw WRONG_CREDENTIALS;
      }
      if (user.status !== 'active')
        throw new AppError('FORBIDDEN', { zh: '该账号已停用，请联系县级管理员。', en: 'This account is disabled.' });
      await users.recordSuccess(username);
      return issue(user);
    },

    /**
     * A session token issued by sign-in stays good only while its account is active, unchanged in role and
     * jurisdiction, and signed in since the account's last password change or re-scope (its session epoch; the state
     * is re-read at most every 5 s). Minted tokens (scripts) carry no account and pass.
     */
    async checkSession(actor: Actor, session: TokenSession): Promise<void> {
      if (!session.account) return;
      const cached = sessionCache.get(actor.userId);
      let user = cached && cached.until > Date.now() ? cached.user : undefined;
      if (user === undefined) {
        user = await users.find(actor.userId);
        sessionCache.set(actor.userId, { user, until: Date.now() + SESSION_CHECK_CACHE_MS });
        if (sessionCache.size > 10_000) sessionCache.clear();
      }
      if (!user) throw sessionEnded('账号不存在', 'the account no longer exists');
      if (user.status !== 'active') throw sessionEnded('账号已停用', 'the account is disabled');
      if (session.epoch !== user.sessionEpoch)
        throw sessionEnded('登录已失效（密码或权限已变更）', 'the session ended (password or permissions changed)');
      if (user.role !== actor.role || user.jurisdiction !== actor.jurisdiction)
        throw sessionEnded('账号权限已变更', 'the account’s role or jurisdiction changed');
    },

    async me(actor: Actor): Promise<UserView | undefined> {
      const user = await users.find(actor.userId);
      return user ? userView(user) : undefined;
    },

    /** The account's own change: the current password proves it is the owner; every other session ends. */
    async changePassword(actor: Actor, current: string, next: string): Promise<SignedIn> {
      const user = await users.find(actor.userId);
      if (!user) throw sessionEnded('账号不存在', 'the account no longer exists');
      if (!(await verifyPassword(user.passwordHash, current)))
        throw new AppError('VALIDATION_FAILED', undefined, {
          fieldErrors: [fieldError('currentPassword', '当前密码不正确', 'the current password is not correct')],
        });
      if (next === current || next.toLowerCase().includes(user.username.toLowerCase()))
        throw new AppError('VALIDATION_FAILED', undefined, {
          fieldErrors: [
            fieldError(
              'newPassword',
              '新密码不能与当前密码相同，也不能包含用户名',
              'must differ from the current one and not contain the username',
            ),
          ],
        });
      const now = new Date();
      const updated = await users.update(
        user.username,
        user.version,
        {
          passwordHash: await hashPassword(next),
          mustChangePassword: false,
          passwordChangedAt: now,
        },
        true,
      );
      if (!updated) throw new AppError('CONFLICT', { zh: '账号刚被修改，请重试。', en: 'The account just changed; try again.' });
      sessionCache.delete(user.username);
      await users.audit({ username: user.username, action: 'password_changed', by: actor, before: null, after: null });
      return issue(updated);
    },

    async list(admin: Actor): Promise<UserView[]> {
      return (await users.list(admin.jurisdiction)).map(userView);
    },

    async get(admin: Actor, username: string): Promise<UserView> {
      return userView(await managed(admin, username));
    },

    /** Creates an account in the administrator's jurisdiction, with a temporary password when none is given. */
    async create(
      admin: Actor,
      input: { username: string; displayName: string; role: StaffRole; jurisdiction: string; password?: string | undefined },
    ): Promise<{ user: UserView; temporaryPassword?: string }> {
      if (!isInJurisdiction(input.jurisdiction, admin.jurisdiction))
        throw new AppError('FORBIDDEN', {
          zh: `区划 ${input.jurisdiction} 不在您的辖区内。`,
          en: `Division ${input.jurisdiction} is outside your jurisdiction.`,
        });
      checkRoleJurisdiction(input.role, input.jurisdiction, 'jurisdiction');
      const temporary = input.password ? undefined : temporaryPassword();
      const created = await users.create({
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        jurisdiction: input.jurisdiction,
        passwordHash: await hashPassword(input.password ?? temporary!),
        mustChangePassword: temporary !== undefined,
        createdBy: admin.userId,
      });
      if (!created)
        throw new AppError('CONFLICT', {
          zh: `用户名 ${input.username} 已被使用。`,
          en: `The username ${input.username} is taken.`,
        });
      const user = (await users.find(input.username))!;
      await users.audit({ username: user.username, action: 'created', by: admin, before: null, after: auditable(user) });
      return { user: userView(user), ...(temporary ? { temporaryPassword: temporary } : {}) };
    },

    /** Renames, re-scopes, disables or re-enables an account; a change of role, jurisdiction or status ends its sessions. */
    async update(
      admin: Actor,
      username: string,
      input: {
        version: number;
        displayName?: string;
        role?: StaffRole;
        jurisdiction?: string;
        status?: 'active' | 'disabled';
        unlock?: boolean;
      },
    ): Promise<UserView> {
      const user = await managed(admin, username);
      const role = input.role ?? user.role;
      const jurisdiction = input.jurisdiction ?? user.jurisdiction;
      if (!isInJurisdiction(jurisdiction, admin.jurisdiction))
        throw new AppError('FORBIDDEN', {
          zh: `区划 ${jurisdiction} 不在您的辖区内。`,
          en: `Division ${jurisdiction} is outside your jurisdiction.`,
        });
      if (input.role || input.jurisdiction)
        checkRoleJurisdiction(role, jurisdiction, input.jurisdiction ? 'jurisdiction' : 'role');
      if (username === admin.userId && (input.status === 'disabled' || (input.role && input.role !== 'admin')))
        throw new AppError('UNPROCESSABLE', {
          zh: '不能停用自己的账号或取消自己的管理员身份。',
          en: 'You cannot disable your own account or give up your own administrator role.',
        });
      const rescoped =
        (input.role !== undefined && input.role !== user.role) ||
        (input.jurisdiction !== undefined && input.jurisdiction !== user.jurisdiction) ||
        (input.status !== undefined && input.status !== user.status);
      const change: UserChange = {
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.jurisdiction !== undefined ? { jurisdiction: input.jurisdiction } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.unlock ? { failedAttempts: 0, lockedUntil: null } : {}),
      };
      return userView(await applyChange(admin, user, input.version, change, rescoped, 'updated'));
    },

    /** A new temporary password, to be changed at the next sign-in; the account's sessions end. */
    async resetPassword(admin: Actor, username: string, version: number): Promise<{ user: UserView; temporaryPassword: string }> {
      const user = await managed(admin, username);
      const temporary = temporaryPassword();
      const now = new Date();
      const updated = await applyChange(
        admin,
        user,
        version,
        { passwordHash: await hashPassword(temporary), mustChangePassword: true, passwordChangedAt: now },
        true,
        'password_reset',
      );
      return { user: userView(updated), temporaryPassword: temporary };
    },

    async auditTrail(admin: Actor, username: string) {
      await managed(admin, username);
      return (await users.auditTrail(username)).map((entry) => ({ ...entry, at: entry.at.toISOString() }));
    },
  };
}

/** What the audit keeps of an account: everything but the password's hash. */
function auditable(user: StoredUser): Record<string, unknown> {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

export type AccountService = ReturnType<typeof createAccountService>;
