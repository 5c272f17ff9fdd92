/**
 * Calendar dates and instants. Event, report, birth and policy-period dates are *local calendar dates* in
 * Asia/Shanghai, written `YYYY-MM-DD`; ISO date strings compare correctly as strings. Instants are stored UTC.
 * China keeps UTC+8 all year (no daylight saving since 1991), so the local date of an instant is exact arithmetic.
 */
export type LocalDate = string;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDateOf(instant: Date): LocalDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local date starts in Asia/Shanghai (00:00 +08:00), as UTC. */
export function startOfShanghaiDay(date: LocalDate): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Inclusive on both ends: a policy period runs from 00:00 on its start date to 24:00 on its end date. */
export function isWithin(date: LocalDate, start: LocalDate, end: LocalDate | null | undefined): boolean {
  return date >= start && (end === null || end === undefined || date <= end);
}

export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a <= b ? a : b);
export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a >= b ? a : b);

/** `2026-11-29 15:04` in Asia/Shanghai. */
export function formatShanghai(iso: string): string {
  return new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `3 d 4 h`, `5 h 2 min`, `40 s` / `3天4小时`, `5小时2分`, `40秒`: the two largest units. */
export function formatDuration(ms: number, lang: 'zh' | 'en'): string {
  const units: [number, string, string][] = [
    [86_400_000, '天', 'd'],
    [3_600_000, '小时', 'h'],
    [60_000, '分', 'min'],
    [1_000, '秒', 's'],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms));
  for (const [size, zh, en] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || (parts.length === 0 && size === 1_000)) {
      parts.push(lang === 'zh' ? `${n}${zh}` : `${n} ${en}`);
      rest -= n * size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(lang === 'zh' ? '' : ' ');
}
