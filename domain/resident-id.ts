/**
 * Resident ID numbers (居民身份证号, GB 11643-1999): 6-digit address code + birth date YYYYMMDD + 3-digit sequence
 * (odd = male) + check character. Legacy 15-digit numbers (YYMMDD, 19xx births, no check character) are converted.
 * An unknown address code is only a warning: it is where the person first registered and may be long obsolete.
 */
import { isRealDate, type LocalDate } from './dates';
import { PROVINCE_CODES } from './divisions';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type ResidentIdError = 'FORMAT' | 'BIRTH_DATE_INVALID' | 'BIRTH_DATE_IN_FUTURE' | 'CHECK_CHARACTER';
export type ResidentIdWarning = 'UNKNOWN_PROVINCE' | 'CONVERTED_FROM_15_DIGITS';

export type ResidentIdResult =
  | {
      valid: true;
      /** 18 characters, uppercase X. */
      normalized: string;
      addressCode: string;
      birthDate: LocalDate;
      sex: 'male' | 'female';
      warnings: ResidentIdWarning[];
    }
  | { valid: false; error: ResidentIdError; message: string };

/** The check character for the first 17 digits. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** 15-digit legacy number → 18 characters (century 19 inserted, check character computed). */
export function convert15To18(id15: string): string {
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + checkCharacter(first17);
}

/**
 * Validates and normalizes. `today` is the local date against which a birth date may not be in the future.
 */
export function validateResidentId(input: string, today: LocalDate): ResidentIdResult {
  const raw = input.trim().toUpperCase();
  const warnings: ResidentIdWarning[] = [];
  let id: string;
  if (/^\d{15}$/.test(raw)) {
    id = convert15To18(raw);
    warnings.push('CONVERTED_FROM_15_DIGITS');
  } else if (/^\d{17}[\dX]$/.test(raw)) {
    id = raw;
  } else {
    return fail('FORMAT', 'must be 18 characters (17 digits and a digit or X) or a legacy 15-digit number');
  }

  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birth) || birth < '1870-01-01') return fail('BIRTH_DATE_INVALID', `birth date ${birth} is not a real date`);
  if (birth > today) return fail('BIRTH_DATE_IN_FUTURE', `birth date ${birth} is in the future`);
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return fail('CHECK_CHARACTER', 'check character does not match');

  const addressCode = id.slice(0, 6);
  if (!PROVINCE_CODES.has(addressCode.slice(0, 2))) warnings.push('UNKNOWN_PROVINCE');
  const sex = Number(id[16]) % 2 === 1 ? 'male' : 'female';
  return { valid: true, normalized: id, addressCode, birthDate: birth, sex, warnings };
}

/** Builds a valid 18-character ID (for the synthetic data generator and tests). */
export function makeResidentId(addressCode: string, birthDate: LocalDate, sequence: number, sex: 'male' | 'female'): string {
  let seq = sequence % 1000;
  if ((seq % 2 === 1) !== (sex === 'male')) seq = (seq + 1) % 1000;
  const first17 = `${addressCode}${birthDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

function fail(error: ResidentIdError, message: string): ResidentIdResult {
  return { valid: false, error, message };
}
