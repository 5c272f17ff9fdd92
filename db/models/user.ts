import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Staff accounts: who may sign in, with which role and over which division. `_id` is the username (lower case), so
 * two administrators creating one name race on the primary key and one wins. The password is kept only as an
 * argon2id hash. `version` guards every change (a stale edit is refused, never merged); `sessionEpoch` counts the
 * times its sessions were ended.
 */
const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    displayName: { type: String, required: true },
    role: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    status: { type: String, enum: ['active', 'disabled'], required: true },
    passwordHash: { type: String, required: true },
    /** Set by an administrator's reset: the user must choose a new password before anything else. */
    mustChangePassword: { type: Boolean, required: true, default: false },
    passwordChangedAt: { type: Date, required: true },
    /** Sessions carry the epoch they were signed in under; raising it ends them all (password, disable, re-scope). */
    sessionEpoch: { type: Number, required: true, default: 0 },
    /** Consecutive failed sign-ins; reset by a successful one. */
    failedAttempts: { type: Number, required: true, default: 0 },
    lockedUntil: { type: Date, default: null },
    lastSignInAt: { type: Date, default: null },
    createdBy: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
  },
  { timestamps: true, collection: 'users', minimize: false },
);
userSchema.index({ jurisdiction: 1 });

export type UserDoc = InferSchemaType<typeof userSchema>;
export type UserModel = Model<UserDoc>;
export const userModel = (c: Connection): UserModel => (c.models.User as UserModel | undefined) ?? c.model('User', userSchema);

/** Every change to an account, by whom, what it was before and after (never a password or its hash). */
const userAuditSchema = new Schema(
  {
    at: { type: Date, required: true },
    username: { type: String, required: true },
    action: { type: String, required: true },
    by: { type: String, required: true },
    byRole: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'user_audit', minimize: false, versionKey: false },
);
userAuditSchema.index({ username: 1, at: -1 });

export type UserAuditDoc = InferSchemaType<typeof userAuditSchema>;
export type UserAuditModel = Model<UserAuditDoc>;
export const userAuditModel = (c: Connection): UserAuditModel =>
  (c.models.UserAudit as UserAuditModel | undefined) ?? c.model('UserAudit', userAuditSchema);
