/**
 * The household roster as a spreadsheet (花名册): one row per member, the rows of one household together, the
 * household's own columns (village, categories, this year's enrollment, payout account, assistance contact) on its
 * first row. Pure: turns a household's rows into the record the API takes (then checked by the same schema), and says
 * which row and column each problem is in, in Chinese.
 */
import {
  CATEGORIES,
  CATEGORY_LABELS,
  LABOUR_CAPACITIES,
  LABOUR_LABELS,
  LINES,
  LINE_LABELS,
  RELATIONS,
  RELATION_LABELS,
} from './codes';
import { isRealDate, type LocalDate } from './dates';
import type { Enrollment, Household } from './household';

export const ROSTER_SHEET = '花名册';

export type RosterKey =
  | 'householdId'
  | 'divisionCode'
  | 'memberId'
  | 'name'
  | 'residentId'
  | 'relation'
  | 'joinedOn'
  | 'leftOn'
  | 'deceasedOn'
  | 'labour'
  | 'category'
  | 'categoryFrom'
  | 'categoryTo'
  | 'earlierCategory'
  | 'earlierFrom'
  | 'earlierTo'
  | 'policyYear'
  | 'lines'
  | 'enrolledOn'
  | 'accountKind'
  | 'cardNumber'
  | 'bankName'
  | 'holderName'
  | 'holderResidentId'
  | 'contactName'
  | 'contactPhone'
  | 'contactUnit';

export interface RosterColumn {
  key: RosterKey;
  header: string;
  width: number;
  required?: boolean;
  /** A household's column: read from its first row; later rows leave it empty (or repeat it exactly). */
  household?: boolean;
  /** Text that Excel must not turn into a number (long digit strings lose their last digits). */
  text?: boolean;
  date?: boolean;
  /** The name of the list of allowed values (a sheet of codes in the template). */
  list?: 'categories' | 'relations' | 'labour' | 'accountKinds';
  note: string;
}

export const ACCOUNT_KIND_LABELS = { social_security_card: '社保卡', one_card: '一卡通' } as const;

export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  { key: 'householdId', header: '户编号', width: 16, required: true, text: true, note: '全县唯一；同一户的各行须连续排列' },
  { key: 'divisionCode', header: '村代码', width: 15, required: true, household: true, text: true, note: '12 位行政村代码' },
  { key: 'memberId', header: '成员编号', width: 10, required: true, text: true, note: '户内唯一，如 m1、m2' },
  { key: 'name', header: '姓名', width: 10, required: true, note: '' },
  {
    key: 'residentId',
    header: '身份证号',
    width: 21,
    required: true,
    text: true,
    note: '18 位（或 15 位）公民身份号码，须为文本格式',
  },
  { key: 'relation', header: '与户主关系', width: 11, required: true, list: 'relations', note: '每户有且只有一名“户主”' },
  { key: 'joinedOn', header: '加入日期', width: 12, date: true, note: '出生、婚入、迁入的日期；登记时已在户内可不填' },
  { key: 'leftOn', header: '迁出日期', width: 12, date: true, note: '婚出、迁出的日期' },
  { key: 'deceasedOn', header: '死亡日期', width: 12, date: true, note: '' },
  {
    key: 'labour',
    header: '劳动技能',
    width: 16,
    list: 'labour',
    note: '入户核查时登记；风险消除须至少一名成员有劳动能力（技能、普通或弱劳动力）',
  },
  { key: 'category', header: '户类别', width: 16, required: true, household: true, list: 'categories', note: '当前户类别' },
  { key: 'categoryFrom', header: '户类别起始日期', width: 14, required: true, household: true, date: true, note: '' },
  { key: 'categoryTo', header: '户类别截止日期', width: 14, household: true, date: true, note: '当前仍有效则不填' },
  {
    key: 'earlierCategory',
    header: '此前户类别',
    width: 16,
    household: true,
    list: 'categories',
    note: '类别曾变更时填写（如纳入监测前为脱贫户）',
  },
  { key: 'earlierFrom', header: '此前类别起始日期', width: 14, household: true, date: true, note: '' },
  { key: 'earlierTo', header: '此前类别截止日期', width: 14, household: true, date: true, note: '须早于当前户类别起始日期' },
  { key: 'policyYear', header: '参保年度', width: 10, household: true, note: '如 2026；与参保险种、参保日期一同填写' },
  {
    key: 'lines',
    header: '参保险种',
    width: 30,
    household: true,
    note: '用顿号分隔，如：特色农产品、健康保险、意外伤害；填“3+2”表示五个险种全部参保',
  },
  { key: 'enrolledOn', header: '参保日期', width: 12, household: true, date: true, note: '' },
  {
    key: 'accountKind',
    header: '收款账户类型',
    width: 12,
    required: true,
    household: true,
    list: 'accountKinds',
    note: '社保卡或一卡通',
  },
  { key: 'cardNumber', header: '卡号', width: 22, required: true, household: true, text: true, note: '16–19 位，须为文本格式' },
  { key: 'bankName', header: '开户银行', width: 16, required: true, household: true, note: '' },
  { key: 'holderName', header: '持卡人姓名', width: 10, required: true, household: true, note: '须为本户成员' },
  { key: 'holderResidentId', header: '持卡人身份证号', width: 21, required: true, household: true, text: true, note: '' },
  { key: 'contactName', header: '帮扶联系人', width: 10, household: true, note: '' },
  { key: 'contactPhone', header: '帮扶联系人电话', width: 14, household: true, text: true, note: '11 位手机号' },
  { key: 'contactUnit', header: '帮扶单位', width: 18, household: true, note: '' },
];

const COLUMN_OF = new Map(ROSTER_COLUMNS.map((c) => [c.key, c]));
export const rosterHeader = (key: RosterKey): string => COLUMN_OF.get(key)!.header;

/** The allowed values of each list, as a clerk writes them. */
export const ROSTER_LISTS = {
  categories: CATEGORIES.map((c) => CATEGORY_LABELS[c].zh),
  relations: RELATIONS.map((r) => RELATION_LABELS[r].zh),
  labour: LABOUR_CAPACITIES.map((c) => LABOUR_LABELS[c].zh),
  accountKinds: Object.values(ACCOUNT_KIND_LABELS),
} as const;

/** One spreadsheet row: its number in the sheet and its cells by column (already read as text, number or date). */
export interface RosterRow {
  row: number;
  cells: Partial<Record<RosterKey, string | number | Date>>;
}

/** A problem with a cell (or a row, or the household): its row, its column header, the reason in Chinese. */
export interface RowProblem {
  row: number;
  column?: string;
  zh: string;
}

/** The record as far as the rows give it, and the problems found on the way (none: it may still fail the schema). */
export interface GroupResult {
  household: Household;
  problems: RowProblem[];
}

const text = (value: string | number | Date | undefined): string => {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
};

/**
 * A date as clerks write it: an Excel date, 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or 20240301. Undefined
 * for an empty cell, null for one that holds no date.
 */
export function rosterDate(value: string | number | Date | undefined): LocalDate | undefined | null {
  if (value === undefined || value === '') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value === 'number') {
    // an Excel serial day number (1900 date system; 25569 is 1970-01-01)
    if (!Number.isInteger(value) || value < 1 || value > 80_000) return null;
    return new Date((value - 25569) * 86_400_000).toISOString().slice(0, 10);
  }
  const s = value.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  const parts = compact ?? /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (!parts) return null;
  const date = `${parts[1]}-${parts[2]!.padStart(2, '0')}-${parts[3]!.padStart(2, '0')}`;
  return isRealDate(date) ? date : null;
}

const enrollmentKey = (e: { policyYear: number; line: string; enrolledOn: string }) =>
  `${e.policyYear}|${e.line}|${e.enrolledOn}`;
/** The same enrollments in any order (the stored order is kept then: no change where none was made). */
const sameEntries = (
  a: readonly Enrollment[] | { policyYear: number; line: string; enrolledOn: string }[],
  b: readonly Enrollment[],
) => a.length === b.length && a.map(enrollmentKey).sort().join() === b.map(enrollmentKey).sort().join();

/** A personal number as exports show it: asterisks, then its last four characters. */
const MASKED = /^\*+[0-9X]{4}$/;

const byLabel = <K extends string>(labels: Record<K, { zh: string }>) =>
  new Map(Object.entries<{ zh: string }>(labels).map(([code, l]) => [l.zh, code as K]));
const CATEGORY_BY_LABEL = byLabel(CATEGORY_LABELS);
const RELATION_BY_LABEL = byLabel(RELATION_LABELS);
/** The national system's 劳动技能, and the two halves of its 弱劳动力或半劳动力 as clerks also write them. */
const LABOUR_BY_LABEL = byLabel(LABOUR_LABELS).set('弱劳动力', 'weak').set('半劳动力', 'weak');
const LINE_BY_LABEL = byLabel(LINE_LABELS);
const ACCOUNT_KIND_BY_LABEL = new Map(Object.entries(ACCOUNT_KIND_LABELS).map(([code, zh]) => [zh, code]));

/**
 * Turns one household's rows (in sheet order) into its record. Of the stored record (`stored`), what the sheet does
 * not speak for stays: the enrollments of other policy years, and category periods older than the two the sheet
 * holds when those two are the stored history's last. Problems are returned, never thrown; the record still has to
 * pass the household schema (the caller checks it and places its issues with `placeIssue`).
 */
export function householdFromRows(rows: readonly RosterRow[], stored?: Household | null): GroupResult {
  const keepEnrollments: readonly Enrollment[] = stored?.enrollments ?? [];
  const problems: RowProblem[] = [];
  const first = rows[0]!;
  const problem = (row: number, key: RosterKey | undefined, zh: string) =>
    problems.push({ row, ...(key ? { column: rosterHeader(key) } : {}), zh });

  for (const column of ROSTER_COLUMNS) {
    if (column.text) {
      for (const r of rows) {
        const v = r.cells[column.key];
        if (typeof v === 'number' && String(v).length > 15)
          problem(r.row, column.key, '数字过长，Excel 已丢失末几位：请将该列设为文本格式后重新填写');
      }
    }
    if (!column.household) continue;
    const value = text(first.cells[column.key]);
    for (const r of rows.slice(1)) {
      const other = text(r.cells[column.key]);
      if (other !== '' && other !== value) problem(r.row, column.key, `与本户第 ${first.row} 行不一致（户级信息只需填在第一行）`);
    }
  }
  for (const r of rows) {
    for (const column of ROSTER_COLUMNS) {
      if (!column.required || (column.household && r !== first)) continue;
      if (text(r.cells[column.key]) === '') problem(r.row, column.key, '必填');
    }
  }

  const date = (r: RosterRow, key: RosterKey): LocalDate | undefined => {
    const d = rosterDate(r.cells[key]);
    if (d === null) {
      problem(r.row, key, '日期无效：请写成 2026-03-01');
      return undefined;
    }
    return d;
  };
  const code = <C extends string>(r: RosterRow, key: RosterKey, table: Map<string, C>, what: string): C | undefined => {
    const value = text(r.cells[key]);
    if (value === '') return undefined;
    const found = table.get(value) ?? ([...table.values()].includes(value as C) ? (value as C) : undefined);
    if (!found) problem(r.row, key, `“${value}”不是有效的${what}：可选 ${[...table.keys()].join('、')}`);
    return found;
  };

  // a number exported masked (***1234) stands for the stored one when its last four match: an exported roster
  // comes back with its edits, its numbers unchanged
  const keep = (cell: string, stored: string | undefined) =>
    MASKED.test(cell) && stored && stored.slice(-4) === cell.slice(-4) ? stored : cell;
  const members = rows.map((r) => {
    const memberId = text(r.cells.memberId);
    const storedMember = stored?.members.find((m) => m.memberId === memberId);
    const joinedOn = date(r, 'joinedOn');
    const leftOn = date(r, 'leftOn');
    const deceasedOn = date(r, 'deceasedOn');
    const labour = code(r, 'labour', LABOUR_BY_LABEL, '劳动技能');
    return {
      memberId,
      name: text(r.cells.name),
      residentId: keep(text(r.cells.residentId), storedMember?.residentId),
      relation: code(r, 'relation', RELATION_BY_LABEL, '与户主关系') ?? text(r.cells.relation),
      ...(joinedOn ? { joinedOn } : {}),
      ...(leftOn ? { leftOn } : {}),
      ...(deceasedOn ? { deceasedOn } : {}),
      ...(labour ? { labour } : {}),
    };
  });

  const categoryHistory = [];
  const earlier = code(first, 'earlierCategory', CATEGORY_BY_LABEL, '户类别');
  if (earlier) {
    const from = date(first, 'earlierFrom');
    const to = date(first, 'earlierTo');
    if (!from) problem(first.row, 'earlierFrom', '填写了此前户类别时必填');
    if (!to) problem(first.row, 'earlierTo', '填写了此前户类别时必填');
    categoryHistory.push({ category: earlier, from: from ?? '', ...(to ? { to } : {}) });
  } else if (text(first.cells.earlierFrom) || text(first.cells.earlierTo)) {
    problem(first.row, 'earlierCategory', '填写了此前类别的日期时必填');
  }
  const current = code(first, 'category', CATEGORY_BY_LABEL, '户类别');
  const currentFrom = date(first, 'categoryFrom');
  const currentTo = date(first, 'categoryTo');
  categoryHistory.push({
    category: current ?? text(first.cells.category),
    from: currentFrom ?? '',
    ...(currentTo ? { to: currentTo } : {}),
  });

  if (stored) {
    // the same periods as the stored history's last ones (reasons aside): the stored history, whole, stays
    const dates = (p: { category: string; from: string; to?: string }) => `${p.category}|${p.from}|${p.to ?? ''}`;
    const tail = stored.categoryHistory.slice(-categoryHistory.length);
    if (tail.length === categoryHistory.length && tail.map(dates).join() === categoryHistory.map(dates).join()) {
      categoryHistory.length = 0;
      categoryHistory.push(...stored.categoryHistory);
    }
  }

  const enrollments: { policyYear: number; line: string; enrolledOn: string }[] = [...keepEnrollments];
  const yearText = text(first.cells.policyYear);
  const linesText = text(first.cells.lines);
  const enrolledOn = date(first, 'enrolledOn');
  if (yearText || linesText || enrolledOn) {
    const policyYear = Number(yearText);
    if (!/^\d{4}$/.test(yearText)) problem(first.row, 'policyYear', '须为 4 位年份，如 2026');
    if (!enrolledOn) problem(first.row, 'enrolledOn', '填写参保信息时必填');
    const labels = linesText === '3+2' ? LINES.map((l) => LINE_LABELS[l].zh) : linesText.split(/[、,，;；\s]+/).filter(Boolean);
    if (labels.length === 0) problem(first.row, 'lines', '填写参保信息时必填');
    const lines = labels.map((l) => {
      const line = LINE_BY_LABEL.get(l) ?? (LINES as readonly string[]).find((code) => code === l);
      if (!line) problem(first.row, 'lines', `“${l}”不是险种：可选 ${LINES.map((c) => LINE_LABELS[c].zh).join('、')}`);
      return line;
    });
    const others = enrollments.filter((e) => e.policyYear !== policyYear);
    enrollments.length = 0;
    enrollments.push(...others);
    // one date per household and year on the sheet: a line enrolled already keeps its own stored date while the
    // sheet shows the year's earliest (what an export writes)
    const storedYear = keepEnrollments.filter((e) => e.policyYear === policyYear);
    const earliest = storedYear.map((e) => e.enrolledOn).sort()[0];
    for (const line of new Set(lines)) {
      if (!line) continue;
      const storedLine = storedYear.find((e) => e.line === line);
      const date = storedLine && enrolledOn === earliest ? storedLine.enrolledOn : (enrolledOn ?? '');
      enrollments.push({ policyYear, line, enrolledOn: date });
    }
  }

  const kind = code(first, 'accountKind', ACCOUNT_KIND_BY_LABEL, '收款账户类型');
  const contactName = text(first.cells.contactName);
  const contactPhone = text(first.cells.contactPhone);
  const contactUnit = text(first.cells.contactUnit);
  if (!contactName && (contactPhone || contactUnit)) problem(first.row, 'contactName', '填写了联系电话或帮扶单位时必填');
  const household = {
    householdId: text(first.cells.householdId),
    divisionCode: text(first.cells.divisionCode),
    members,
    categoryHistory,
    enrollments: sameEntries(enrollments, keepEnrollments)
      ? keepEnrollments
      : enrollments.sort((a, b) => a.policyYear - b.policyYear || a.line.localeCompare(b.line)),
    payoutAccount: {
      kind: kind ?? text(first.cells.accountKind),
      cardNumber: keep(text(first.cells.cardNumber).replace(/\s+/g, ''), stored?.payoutAccount.cardNumber),
      bankName: text(first.cells.bankName),
      holderName: text(first.cells.holderName),
      holderResidentId: keep(text(first.cells.holderResidentId), stored?.payoutAccount.holderResidentId),
    },
    ...(contactName
      ? {
          assistanceContact: {
            name: contactName,
            phone: keep(contactPhone, stored?.assistanceContact?.phone),
            ...(contactUnit ? { unit: contactUnit } : {}),
          },
        }
      : {}),
  };
  return { household: household as unknown as Household, problems };
}

const MEMBER_FIELDS: Partial<Record<string, RosterKey>> = {
  memberId: 'memberId',
  name: 'name',
  residentId: 'residentId',
  relation: 'relation',
  joinedOn: 'joinedOn',
  leftOn: 'leftOn',
  deceasedOn: 'deceasedOn',
  labour: 'labour',
};
const ACCOUNT_FIELDS: Partial<Record<string, RosterKey>> = {
  kind: 'accountKind',
  cardNumber: 'cardNumber',
  bankName: 'bankName',
  holderName: 'holderName',
  holderResidentId: 'holderResidentId',
};
const CONTACT_FIELDS: Partial<Record<string, RosterKey>> = { name: 'contactName', phone: 'contactPhone', unit: 'contactUnit' };

/**
 * Where a schema issue of the assembled record is in the sheet: a member's field in its row, the rest in the
 * household's first row, under its column.
 */
export function placeIssue(
  rows: readonly RosterRow[],
  household: Pick<Household, 'categoryHistory'>,
  path: readonly (string | number)[],
  zh: string,
): RowProblem {
  const first = rows[0]!.row;
  const at = (row: number, key: RosterKey | undefined): RowProblem => ({
    row,
    ...(key ? { column: rosterHeader(key) } : {}),
    zh,
  });
  const [head, index, field] = path;
  switch (head) {
    case 'householdId':
      return at(first, 'householdId');
    case 'divisionCode':
      return at(first, 'divisionCode');
    case 'members':
      return typeof index === 'number' ? at(rows[index]?.row ?? first, MEMBER_FIELDS[String(field)]) : at(first, undefined);
    case 'categoryHistory': {
      const isEarlier = typeof index === 'number' && index < household.categoryHistory.length - 1;
      const key: Record<string, RosterKey> = isEarlier
        ? { category: 'earlierCategory', from: 'earlierFrom', to: 'earlierTo' }
        : { category: 'category', from: 'categoryFrom', to: 'categoryTo' };
      return at(first, key[String(field)] ?? (isEarlier ? 'earlierCategory' : 'category'));
    }
    case 'enrollments':
      return at(first, field === 'enrolledOn' ? 'enrolledOn' : field === 'policyYear' ? 'policyYear' : 'lines');
    case 'payoutAccount':
      return at(first, ACCOUNT_FIELDS[String(index)] ?? 'cardNumber');
    case 'assistanceContact':
      return at(first, CONTACT_FIELDS[String(index)] ?? 'contactName');
    default:
      return at(first, undefined);
  }
}

/** A row's cells from the sheet's header row: which column holds which key (unknown headers are ignored). */
export function columnsOfHeader(header: readonly unknown[]): Map<number, RosterKey> | { missing: string[] } {
  const byHeader = new Map(ROSTER_COLUMNS.map((c) => [c.header, c.key]));
  const found = new Map<number, RosterKey>();
  header.forEach((cell, i) => {
    const key = byHeader.get((typeof cell === 'string' ? cell : '').replace(/\*$/, '').trim());
    if (key) found.set(i, key);
  });
  const present = new Set(found.values());
  const missing = ROSTER_COLUMNS.filter((c) => c.required && !present.has(c.key)).map((c) => c.header);
  return missing.length > 0 ? { missing } : found;
}

/**
 * A household as roster rows (the template's layout): one row per member, the household's columns on the first,
 * the enrollments of `policyYear`, the last two category periods. `mask` hides the personal numbers (an export).
 */
export function rosterRowsOf(
  h: Household,
  policyYear: number,
  mask: (value: string) => string = (v) => v,
): Partial<Record<RosterKey, string>>[] {
  const periods = h.categoryHistory.slice(-2);
  const current = periods.at(-1)!;
  const earlier = periods.length > 1 ? periods[0] : undefined;
  const year = h.enrollments.filter((e) => e.policyYear === policyYear);
  return h.members.map((m, i) => ({
    householdId: h.householdId,
    memberId: m.memberId,
    name: m.name,
    residentId: mask(m.residentId),
    relation: RELATION_LABELS[m.relation].zh,
    ...(m.joinedOn ? { joinedOn: m.joinedOn } : {}),
    ...(m.leftOn ? { leftOn: m.leftOn } : {}),
    ...(m.deceasedOn ? { deceasedOn: m.deceasedOn } : {}),
    ...(m.labour ? { labour: LABOUR_LABELS[m.labour].zh } : {}),
    ...(i > 0
      ? {}
      : {
          divisionCode: h.divisionCode,
          category: CATEGORY_LABELS[current.category].zh,
          categoryFrom: current.from,
          ...(current.to ? { categoryTo: current.to } : {}),
          ...(earlier
            ? {
                earlierCategory: CATEGORY_LABELS[earlier.category].zh,
                earlierFrom: earlier.from,
                ...(earlier.to ? { earlierTo: earlier.to } : {}),
              }
            : {}),
          ...(year.length > 0
            ? {
                policyYear: String(policyYear),
                lines: LINES.filter((l) => year.some((e) => e.line === l))
                  .map((l) => LINE_LABELS[l].zh)
                  .join('、'),
                enrolledOn: year.map((e) => e.enrolledOn).sort()[0]!,
              }
            : {}),
          accountKind: ACCOUNT_KIND_LABELS[h.payoutAccount.kind],
          cardNumber: mask(h.payoutAccount.cardNumber),
          bankName: h.payoutAccount.bankName,
          holderName: h.payoutAccount.holderName,
          holderResidentId: mask(h.payoutAccount.holderResidentId),
          ...(h.assistanceContact
            ? {
                contactName: h.assistanceContact.name,
                contactPhone: mask(h.assistanceContact.phone),
                ...(h.assistanceContact.unit ? { contactUnit: h.assistanceContact.unit } : {}),
              }
            : {}),
        }),
  }));
}
