/** Money in yuan with two decimals (the API's amounts are integer fen), dates and times in Beijing time. */
import { lang } from './i18n';

export const yuan = (fen: number | undefined): string =>
  fen === undefined ? '—' : '¥' + (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai (UTC+8, no daylight saving). */
export const beijing = (iso: string | null | undefined): string =>
  iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '—';

export const todayInBeijing = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function duration(ms: number): string {
  const hours = Math.floor(ms / 3600_000);
  const days = Math.floor(hours / 24);
  const minutes = Math.floor((ms % 3600_000) / 60_000);
  if (lang.value === 'zh') return days > 0 ? `${days}天${hours % 24}小时` : `${hours}小时${minutes}分`;
  return days > 0 ? `${days} d ${hours % 24} h` : `${hours} h ${minutes} min`;
}

/** Yuan typed by a person (two decimals at most) to integer fen, or undefined when empty. */
export function fenOf(yuanText: string | number | null | undefined): number | undefined {
  if (yuanText === null || yuanText === undefined || String(yuanText).trim() === '') return undefined;
  return Math.round(Number(yuanText) * 100);
}
