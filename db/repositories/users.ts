import type { Connection } from 'mongoose';
import type { StaffRole } from '../../domain/lifecycle';
import { isDuplicateKeyError, retryWrite } from '../errors';
import { userAuditModel, userModel } from '../models/user';

export interface StoredUser {
  username: string;
  displayName: string;
  role: StaffRole;
  jurisdiction: string;
  status: 'active' | 'disabled';
  passwordHash: string;
  mustChangePassword: boolean;
  passwordChangedAt: Date;
  sessionEpoch: number;
  failedAttempts: number;
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  createdBy: string;
  version: number;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: StaffRole;
  jurisdiction: string;
  passwordHash: string;
  mustChangePassword: boolean;
  createdBy: string;
}

/** The fields an administrator may change, and the password fields the account's own changes set. */
export type UserChange = Partial<
  Pick<StoredUser, 'displayName' | 'role' | 'jurisdiction' | 'status' | 'passwordHash' | 'mustChangePassword'>
> & { passwordChangedAt?: Date; failedAttempts?: number; lockedUntil?: null };

export interface AuditEntry {
  username: string;
  action: string;
  by: { userId: string; role: string };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

type Doc = Omit<StoredUser, 'username'> & { _id: string };
const toUser = ({ _id, ...rest }: Doc): StoredUser => ({ username: _id, ...rest });

export function createUserRepository(connection: Connection) {
  const users = userModel(connection);
  const audit = userAuditModel(connection);
  return {
    /** Inserts a new account; false when the username is taken (the primary key decides between racing creators). */
    async create(user: NewUser, now = new Date()): Promise<boolean> {
      const { username, ...rest } = user;
      try {
        await retryWrite(() =>
          users.create({
            _id: username,
            ...rest,
            status: 'active',
            passwordChangedAt: now,
            sessionEpoch: 0,
            failedAttempts: 0,
            lockedUntil: null,
            lastSignInAt: null,
            version: 1,
          }),
        );
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    async find(username: string): Promise<StoredUser | null> {
      const doc = await users.findOne({ _id: username }, { __v: 0 }).lean<Doc | null>();
      return doc ? toUser(doc) : null;
    },

    /**
     * Accounts whose jurisdiction lies within `scope` (a division code prefix), by username: a range of the
     * jurisdiction index (codes are digits, and ':' sorts right after '9').
     */
    async list(scope: string, limit = 500): Promise<StoredUser[]> {
      const docs = await users
        .find({ jurisdiction: { $gte: scope, $lt: `${scope}:` } }, { __v: 0 })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<Doc[]>();
      return docs.map(toUser);
    },

    /**
     * A change made on the version the caller read: one conditional update, so of two racing edits one applies and
     * the other is told the account changed (null), never both half-way. `endSessions` ends every session signed in
     * before it.
     */
    async update(username: string, version: number, change: UserChange, endSessions = false): Promise<StoredUser | null> {
      const doc = await retryWrite(() =>
        users
          .findOneAndUpdate(
            { _id: username, version },
            { $set: change, $inc: { version: 1, ...(endSessions ? { sessionEpoch: 1 } : {}) } },
            { new: true, projection: { __v: 0 } },
          )
          .lean<Doc | null>(),
      );
      return doc ? toUser(doc) : null;
    },

    /**
     * Counts a failed sign-in (one atomic increment, so concurrent guesses all count) and locks the account for
     * `lockMs` when the count reaches `limit`. Returns the account as it now is.
     */
    async recordFailure(username: string, limit: number, lockMs: number, now = new Date()): Promise<StoredUser | null> {
      const counted = await retryWrite(() =>
        users
          .findOneAndUpdate({ _id: username }, { $inc: { failedAttempts: 1 } }, { new: true, projection: { __v: 0 } })
          .lean<Doc | null>(),
      );
      if (!counted || counted.failedAttempts < limit) return counted ? toUser(counted) : null;
      const locked = await retryWrite(() =>
        users
          .findOneAndUpdate(
            { _id: username, failedAttempts: { $gte: limit } },
            { $set: { lockedUntil: new Date(now.getTime() + lockMs), failedAttempts: 0 } },
            { new: true, projection: { __v: 0 } },
          )
          .lean<Doc | null>(),
      );
      return toUser(locked ?? counted);
    },

    async recordSuccess(username: string, now = new Date()): Promise<void> {
      await retryWrite(() =>
        users.updateOne({ _id: username }, { $set: { failedAttempts: 0, lockedUntil: null, lastSignInAt: now } }),
      );
    },

    async audit(entry: AuditEntry, now = new Date()): Promise<void> {
      await retryWrite(() =>
        audit.create({
          at: now,
          username: entry.username,
          action: entry.action,
          by: entry.by.userId,
          byRole: entry.by.role,
          before: entry.before,
          after: entry.after,
        }),
      );
    },

    async auditTrail(username: string, limit = 200) {
      return audit.find({ username }, { _id: 0 }).sort({ at: -1 }).limit(limit).lean();
    },

    async count(): Promise<number> {
      return users.estimatedDocumentCount();
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
