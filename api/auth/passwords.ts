import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/**
 * Passwords: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane; about 50 ms here), never logged or
 * returned. The policy is the one a county clerk can follow: at least 10 characters with letters and digits.
 */
const PARAMETERS = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum the compiler cannot inline here) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const hashPassword = (password: string): Promise<string> => hash(password, PARAMETERS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the username is unknown, so the answer takes as long as for a real account. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(`decoy-${randomInt(1e9)}`));

export const PasswordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(128, 'must be at most 128 characters')
  .regex(/[A-Za-z]/, 'must contain a letter')
  .regex(/\d/, 'must contain a digit');

/** A password an administrator hands over once (the user must change it at first sign-in): 4 groups, no look-alikes. */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz';
  const digits = '23456789';
  const pick = (set: string) => set[randomInt(set.length)];
  const group = () => [letters, digits, letters, digits].map(pick).join('');
  return [group(), group(), group()].join('-');
}
