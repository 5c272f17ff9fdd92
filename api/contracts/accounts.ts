import { z } from 'zod';
import { STAFF_ROLES } from '../../domain/lifecycle';
import { PasswordSchema } from '../auth/passwords';
import { JurisdictionSchema } from '../../domain/value-schemas';

/** Usernames are lower case (what was typed is lowered first): a letter, then letters, digits, dots, dashes or underscores. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9._-]{2,31}$/, 'must be 3–32 letters, digits, dots, dashes or underscores, starting with a letter');

const DisplayNameSchema = z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters');

export const SignInBody = z.strictObject({
  username: UsernameSchema,
  // any string up to the limit: a sign-in never tells which rule a wrong password breaks
  password: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
});

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  newPassword: PasswordSchema,
});

export const UsernameParam = z.strictObject({ username: UsernameSchema });

export const CreateUserBody = z.strictObject({
  username: UsernameSchema,
  displayName: DisplayNameSchema,
  role: z.enum(STAFF_ROLES),
  jurisdiction: JurisdictionSchema,
  /** Omitted: a temporary password is generated, returned once, and must be changed at first sign-in. */
  password: PasswordSchema.optional(),
});

const VersionSchema = z.number().int().min(1);

export const UpdateUserBody = z
  .strictObject({
    version: VersionSchema,
    displayName: DisplayNameSchema.optional(),
    role: z.enum(STAFF_ROLES).optional(),
    jurisdiction: JurisdictionSchema.optional(),
    status: z.enum(['active', 'disabled']).optional(),
    /** Lifts a lock after repeated wrong passwords. */
    unlock: z.literal(true).optional(),
  })
  .refine((b) => Object.keys(b).length > 1, { message: 'must change at least one field besides version' });

export const ResetPasswordBody = z.strictObject({ version: VersionSchema });
