/**
 * Masking of personal data for logs, notices and API responses. Pure functions, no I/O.
 * Resident ID numbers and bank card numbers show their last 4 characters only; names keep first and last character.
 */

/** `340524198001010013` → `**************0013`. */
export function maskTail(value: string, visible = 4): string {
  if (value.length <= visible) return '*'.repeat(value.length);
  return '*'.repeat(value.length - visible) + value.slice(-visible);
}

/** 张三明 → 张*明, 张三 → 张*, 欧阳小明 → 欧**明 (public-notice style). */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 18-char resident IDs (last may be X), 15-digit legacy IDs, 16–19 digit card numbers, 11-digit mobile numbers. */
const SENSITIVE_DIGIT_RUNS = /(?<![0-9])(\d{17}[\dXx]|\d{15,19}|1[3-9]\d{9})(?![0-9Xx])/g;

/** Masks anything in free text that looks like an ID, card or phone number. */
export function maskSensitiveText(text: string): string {
  return text.replace(SENSITIVE_DIGIT_RUNS, (match) => maskTail(match));
}

/**
 * A URL as logs and problem bodies may show it: percent-decoded first (an encoded ID is still an ID), then masked like
 * free text. A URL that does not decode is masked as it stands.
 */
export function maskUrl(url: string): string {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    // malformed escapes: keep the raw text
  }
  return maskSensitiveText(decoded);
}

/**
 * Who may read payees' full names in an export: the county, which reconciles payouts with the bank. Village,
 * township and ops staff see 张*明. (No export holds a full card or resident ID number: the read model keeps none.)
 */
export const mayReadPayeeNames = (role: string): boolean => role === 'county';
