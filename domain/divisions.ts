/**
 * Administrative divisions. Counties use the 6-digit GB/T 2260 code; townships and villages the 12-digit statistical
 * code (6 county + 3 township + 3 village). Codes change yearly, so tables are versioned by year.
 * A jurisdiction is a code prefix: 6 digits (county), 9 (township) or 12 (village).
 */
import { SIXIAN_TOWNSHIPS } from './data/sixian-divisions';

/** GB/T 2260 province-level prefixes (including 71 Taiwan, 81 Hong Kong, 82 Macao). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export type DivisionLevel = 'county' | 'township' | 'village';

export interface DivisionCodeParts {
  level: DivisionLevel;
  provinceCode: string;
  countyCode: string;
  townshipCode?: string;
  villageCode?: string;
}

export type DivisionCheck = { valid: true; parts: DivisionCodeParts } | { valid: false; message: string };

/** Shape check of a 6-, 9- or 12-digit code; whether the place exists is `findDivision`'s business. */
export function checkDivisionCode(code: string): DivisionCheck {
  if (!/^(\d{6}|\d{9}|\d{12})$/.test(code)) return { valid: false, message: 'must be 6, 9 or 12 digits' };
  const provinceCode = code.slice(0, 2);
  if (!PROVINCE_CODES.has(provinceCode)) return { valid: false, message: `unknown province code ${provinceCode}` };
  const countyCode = code.slice(0, 6);
  if (countyCode.endsWith('00'))
    return { valid: false, message: 'the first 6 digits must name a county, not a province or city' };
  if (code.length === 6) return { valid: true, parts: { level: 'county', provinceCode, countyCode } };
  const townshipCode = code.slice(0, 9);
  if (townshipCode.endsWith('000')) return { valid: false, message: 'digits 7–9 must name a township' };
  if (code.length === 9) return { valid: true, parts: { level: 'township', provinceCode, countyCode, townshipCode } };
  if (code.endsWith('000')) return { valid: false, message: 'digits 10–12 must name a village' };
  return { valid: true, parts: { level: 'village', provinceCode, countyCode, townshipCode, villageCode: code } };
}

/** True when `code` lies inside the jurisdiction `prefix` (a county, township or village). */
export function isInJurisdiction(code: string, prefix: string): boolean {
  return code.startsWith(prefix);
}

export interface Village {
  code: string;
  name: string;
}
export interface Township {
  code: string;
  name: string;
  villages: Village[];
}
export interface DivisionTable {
  year: number;
  county: { code: string; name: string; cityCode: string; cityName: string };
  townships: Township[];
  /** True when codes and village names are illustrative, not the official statistical table. */
  illustrative: boolean;
}

const TABLES: DivisionTable[] = [
  {
    year: 2026,
    county: { code: '341324', name: '泗县', cityCode: '341300', cityName: '宿州市' },
    townships: SIXIAN_TOWNSHIPS,
    illustrative: true,
  },
];

/** The newest table not newer than `year` (codes change yearly; a year without its own table uses the last one). */
export function divisionTable(year: number, countyCode = '341324'): DivisionTable {
  const candidates = TABLES.filter((t) => t.county.code === countyCode && t.year <= year).sort((a, b) => b.year - a.year);
  const table = candidates[0] ?? TABLES.find((t) => t.county.code === countyCode);
  if (!table) throw new Error(`no division table for county ${countyCode}`);
  return table;
}

export type FoundDivision =
  | { level: 'county'; code: string; name: string }
  | { level: 'township'; code: string; name: string; township: Township }
  | { level: 'village'; code: string; name: string; township: Township; village: Village };

export function findDivision(code: string, year: number): FoundDivision | undefined {
  const check = checkDivisionCode(code);
  if (!check.valid) return undefined;
  const table = TABLES.find((t) => t.county.code === check.parts.countyCode)
    ? divisionTable(year, check.parts.countyCode)
    : undefined;
  if (!table) return undefined;
  if (check.parts.level === 'county') return { level: 'county', code, name: table.county.name };
  const township = table.townships.find((t) => t.code === check.parts.townshipCode);
  if (!township) return undefined;
  if (check.parts.level === 'township') return { level: 'township', code, name: township.name, township };
  const village = township.villages.find((v) => v.code === code);
  return village ? { level: 'village', code, name: `${township.name}${village.name}`, township, village } : undefined;
}
