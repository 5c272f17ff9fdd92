/**
 * A batch of claims as a spreadsheet (批量报案表): one claim per row, the household, member, line and event first,
 * then the loss columns of each line (a row fills only its own line's columns). Pure: turns a row into the input
 * `POST /claims` takes (then checked by the same schema), and says which column each problem is in, in Chinese.
 */
import { CROP_CAUSES, LOSS_LABELS, PROPERTY_CAUSES, type ClaimInput } from './claim';
import { LINES, LINE_LABELS, type Line } from './codes';
import type { LocalDate } from './dates';
import { ADMISSION_LEVELS } from './product';
import { rosterDate, type RowProblem } from './roster-sheet';

export const CLAIM_SHEET = '报案';

export type ClaimSheetKey =
  | 'householdId'
  | 'memberId'
  | 'name'
  | 'line'
  | 'eventDate'
  | 'reportDate'
  | 'cause'
  | 'item'
  | 'units'
  | 'lossPercent'
  | 'admissionDate'
  | 'dischargeDate'
  | 'totalCost'
  | 'basicInsurance'
  | 'criticalIllness'
  | 'medicalAssistance'
  | 'otherInsurance'
  | 'nonCompliant'
  | 'accidentKind'
  | 'disabilityGrade'
  | 'medicalCost'
  | 'assessedLoss'
  | 'level'
  | 'admissionYear'
  | 'school'
  | 'description';

export interface ClaimSheetColumn {
  key: ClaimSheetKey;
  header: string;
  width: number;
  required?: boolean;
  text?: boolean;
  date?: boolean;
  /** An amount in yuan (at most two decimals). */
  money?: boolean;
  /** The lines whose claims use the column (none: every line). */
  lines?: readonly Line[];
  /** Its drop-down list: one of CLAIM_SHEET_LISTS, or the crop items of the products in force. */
  list?: keyof typeof CLAIM_SHEET_LISTS | 'items';
  note: string;
}

export const CLAIM_SHEET_COLUMNS: readonly ClaimSheetColumn[] = [
  { key: 'householdId', header: '户编号', width: 16, required: true, text: true, note: '花名册中的户编号' },
  { key: 'memberId', header: '成员编号', width: 10, required: true, text: true, note: '出险成员的编号，如 m1' },
  { key: 'name', header: '姓名', width: 10, note: '出险成员姓名；填写时须与登记的姓名一致（用于核对）' },
  { key: 'line', header: '险种', width: 12, required: true, list: 'lines', note: '从下拉列表选择' },
  { key: 'eventDate', header: '出险日期', width: 12, required: true, date: true, note: '健康保险填入院日期' },
  { key: 'reportDate', header: '报案日期', width: 12, date: true, note: '不填则为上传当日' },
  {
    key: 'cause',
    header: '出险原因',
    width: 14,
    lines: ['crop', 'property'],
    list: 'causes',
    note: '特色农产品、家庭财产必填；从下拉列表选择',
  },
  { key: 'item', header: '品种', width: 12, lines: ['crop'], list: 'items', note: '特色农产品必填：如 小麦、肉牛（或品种代码）' },
  { key: 'units', header: '数量（亩/头/只）', width: 14, lines: ['crop'], note: '特色农产品必填；最多两位小数' },
  { key: 'lossPercent', header: '损失程度（%）', width: 13, lines: ['crop'], note: '特色农产品必填：0–100，如 80 表示 80%' },
  { key: 'admissionDate', header: '入院日期', width: 12, lines: ['health'], date: true, note: '' },
  { key: 'dischargeDate', header: '出院日期', width: 12, lines: ['health'], date: true, note: '' },
  { key: 'totalCost', header: '医疗总费用（元）', width: 15, lines: ['health'], money: true, note: '健康保险必填' },
  { key: 'basicInsurance', header: '基本医保报销（元）', width: 16, lines: ['health'], money: true, note: '无则不填' },
  { key: 'criticalIllness', header: '大病保险报销（元）', width: 16, lines: ['health'], money: true, note: '无则不填' },
  { key: 'medicalAssistance', header: '医疗救助（元）', width: 14, lines: ['health'], money: true, note: '无则不填' },
  { key: 'otherInsurance', header: '其他保险赔付（元）', width: 16, lines: ['health'], money: true, note: '无则不填' },
  { key: 'nonCompliant', header: '不合规费用（元）', width: 15, lines: ['health'], money: true, note: '无则不填' },
  { key: 'accidentKind', header: '意外类型', width: 12, lines: ['accident'], list: 'accidentKinds', note: '意外伤害必填' },
  { key: 'disabilityGrade', header: '伤残等级', width: 10, lines: ['accident'], note: '意外伤残必填：1–10 级' },
  { key: 'medicalCost', header: '意外医疗费用（元）', width: 16, lines: ['accident'], money: true, note: '意外医疗必填' },
  {
    key: 'assessedLoss',
    header: '财产损失（元）',
    width: 14,
    lines: ['property'],
    money: true,
    note: '家庭财产必填：核定的损失金额',
  },
  { key: 'level', header: '录取层次', width: 12, lines: ['education'], list: 'levels', note: '教育升学必填' },
  { key: 'admissionYear', header: '录取年份', width: 10, lines: ['education'], note: '教育升学必填：须与出险日期同年' },
  { key: 'school', header: '录取学校', width: 20, lines: ['education'], note: '教育升学必填' },
  { key: 'description', header: '说明', width: 30, note: '出险经过等，最多 500 字' },
];

const COLUMN_OF = new Map(CLAIM_SHEET_COLUMNS.map((c) => [c.key, c]));
export const claimHeader = (key: ClaimSheetKey): string => COLUMN_OF.get(key)!.header;

const CAUSE_LABELS = { ...LOSS_LABELS.cropCauses, ...LOSS_LABELS.propertyCauses };

/** The allowed values of each list, as a clerk writes them. */
export const CLAIM_SHEET_LISTS = {
  lines: LINES.map((l) => LINE_LABELS[l].zh),
  causes: [...new Set([...CROP_CAUSES, ...PROPERTY_CAUSES].map((c) => CAUSE_LABELS[c].zh))],
  accidentKinds: Object.values(LOSS_LABELS.accidentKinds).map((l) => l.zh),
  levels: ADMISSION_LEVELS.map((l) => LOSS_LABELS.admissionLevels[l].zh),
};

export type CellValue = string | number | Date;
export interface ClaimSheetRow {
  row: number;
  cells: Partial<Record<ClaimSheetKey, CellValue>>;
}

/** The header row's columns, or the required headers it lacks. A trailing `*` (the template's mark) is ignored. */
export function claimColumnsOfHeader(header: readonly unknown[]): Map<number, ClaimSheetKey> | { missing: string[] } {
  const byHeader = new Map(CLAIM_SHEET_COLUMNS.map((c) => [c.header, c.key]));
  const found = new Map<number, ClaimSheetKey>();
  header.forEach((h, i) => {
    const key = byHeader.get((typeof h === 'string' ? h : '').trim().replace(/\*$/, '').trim());
    if (key) found.set(i, key);
  });
  const present = new Set(found.values());
  const missing = CLAIM_SHEET_COLUMNS.filter((c) => c.required && !present.has(c.key)).map((c) => c.header);
  return missing.length > 0 ? { missing } : found;
}

const text = (v: CellValue | undefined): string =>
  v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim();

/** Reverse lookup of a label (or the code itself) to its code. */
function codeOf<C extends string>(labels: Record<C, { zh: string }>, value: string): C | undefined {
  for (const [code, label] of Object.entries(labels) as [C, { zh: string }][])
    if (label.zh === value || code === value) return code;
  return undefined;
}

/** A number as a clerk writes it ("1,234.5", "¥300", a number cell); null when it is not one. */
function numberOf(v: CellValue | undefined): number | undefined | null {
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v instanceof Date) return null;
  const s = v
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '')
    .replace(/%$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

/** Yuan with at most two decimals to whole fen; null when the cell is no such amount. */
export function fenOfYuan(v: CellValue | undefined): number | undefined | null {
  const n = numberOf(v);
  if (n === undefined || n === null) return n;
  const fen = Math.round(n * 100);
  if (n < 0 || Math.abs(n * 100 - fen) > 1e-6 || !Number.isSafeInteger(fen)) return null;
  return fen;
}

/** Where each input field is in the sheet (for the schema's findings). */
const COLUMN_OF_FIELD: Record<string, ClaimSheetKey> = {
  householdId: 'householdId',
  memberId: 'memberId',
  line: 'line',
  eventDate: 'eventDate',
  reportDate: 'reportDate',
  'loss.cause': 'cause',
  'loss.item': 'item',
  'loss.units': 'units',
  'loss.lossRatioBp': 'lossPercent',
  'loss.admissionDate': 'admissionDate',
  'loss.dischargeDate': 'dischargeDate',
  'loss.totalCostFen': 'totalCost',
  'loss.basicInsuranceFen': 'basicInsurance',
  'loss.criticalIllnessFen': 'criticalIllness',
  'loss.medicalAssistanceFen': 'medicalAssistance',
  'loss.otherInsuranceFen': 'otherInsurance',
  'loss.nonCompliantFen': 'nonCompliant',
  'loss.kind': 'accidentKind',
  'loss.disabilityGrade': 'disabilityGrade',
  'loss.medicalCostFen': 'medicalCost',
  'loss.assessedLossFen': 'assessedLoss',
  'loss.level': 'level',
  'loss.admissionYear': 'admissionYear',
  'loss.school': 'school',
  'loss.description': 'description',
};
export const columnOfField = (path: string): string | undefined => {
  const key = COLUMN_OF_FIELD[path];
  return key ? claimHeader(key) : undefined;
};

export interface RowClaim {
  /** The input for `POST /claims`, when the row's cells could be read as one (it may still fail the schema). */
  input?: Record<string, unknown>;
  problems: RowProblem[];
}

/**
 * Reads a row as a claim. `reportDate` is used when the row gives none; `items` are the crop items in force (code
 * and name), so a clerk may write 小麦 for wheat.
 */
export function claimFromRow(
  { row, cells }: ClaimSheetRow,
  { reportDate, items }: { reportDate: LocalDate; items: readonly { code: string; name: string }[] },
): RowClaim {
  const problems: RowProblem[] = [];
  const problem = (key: ClaimSheetKey, zh: string) => problems.push({ row, column: claimHeader(key), zh });
  for (const c of CLAIM_SHEET_COLUMNS) if (c.required && text(cells[c.key]) === '') problem(c.key, '必填');
  const lineText = text(cells.line);
  const line = lineText ? codeOf(LINE_LABELS, lineText) : undefined;
  if (lineText && !line) problem('line', `“${lineText}”不是险种，请从下拉列表选择`);
  if (problems.length > 0 || !line) return { problems };

  const date = (key: ClaimSheetKey) => {
    const d = rosterDate(cells[key]);
    if (d === null) problem(key, '日期无法识别，请写成 2026-03-01');
    return d ?? undefined;
  };
  const money = (key: ClaimSheetKey) => {
    const fen = fenOfYuan(cells[key]);
    if (fen === null) problem(key, '须为金额（元），不小于 0，最多两位小数');
    return fen ?? undefined;
  };
  const number = (key: ClaimSheetKey) => {
    const n = numberOf(cells[key]);
    if (n === null) problem(key, '须为数字');
    return n ?? undefined;
  };
  // a column of another line's loss, filled in: most likely a row put under the wrong line
  for (const c of CLAIM_SHEET_COLUMNS)
    if (c.lines && !c.lines.includes(line) && text(cells[c.key]) !== '')
      problem(c.key, `本列不用于${LINE_LABELS[line].zh}报案，请清空或改正险种`);

  const description = text(cells.description) || undefined;
  const causeText = text(cells.cause);
  let loss: Record<string, unknown>;
  switch (line) {
    case 'crop': {
      const itemText = text(cells.item);
      const item = items.find((i) => i.code === itemText || i.name === itemText)?.code;
      if (itemText && !item) problem('item', `“${itemText}”不是本县承保的品种`);
      const cause = codeOf(LOSS_LABELS.cropCauses, causeText);
      if (causeText && !cause) problem('cause', `“${causeText}”不是特色农产品的出险原因`);
      const percent = number('lossPercent');
      const lossRatioBp = percent === undefined ? undefined : Math.round(percent * 100);
      if (percent !== undefined && Math.abs(percent * 100 - (lossRatioBp ?? 0)) > 1e-6) problem('lossPercent', '最多两位小数');
      loss = {
        line,
        item: item ?? (itemText || undefined),
        units: number('units'),
        lossRatioBp,
        cause: cause ?? (causeText || undefined),
        description,
      };
      break;
    }
    case 'health':
      loss = {
        line,
        admissionDate: date('admissionDate'),
        dischargeDate: date('dischargeDate'),
        totalCostFen: money('totalCost'),
        basicInsuranceFen: money('basicInsurance'),
        criticalIllnessFen: money('criticalIllness'),
        medicalAssistanceFen: money('medicalAssistance'),
        otherInsuranceFen: money('otherInsurance'),
        nonCompliantFen: money('nonCompliant'),
      };
      break;
    case 'accident': {
      const kindText = text(cells.accidentKind);
      const kind = codeOf(LOSS_LABELS.accidentKinds, kindText);
      if (kindText && !kind) problem('accidentKind', `“${kindText}”不是意外类型，请从下拉列表选择`);
      if (!kindText) problem('accidentKind', '意外伤害报案必填');
      loss =
        kind === 'disability'
          ? { line, kind, disabilityGrade: number('disabilityGrade'), description }
          : kind === 'medical'
            ? { line, kind, medicalCostFen: money('medicalCost'), description }
            : { line, kind: kind ?? kindText, description };
      break;
    }
    case 'property': {
      const cause = codeOf(LOSS_LABELS.propertyCauses, causeText);
      if (causeText && !cause) problem('cause', `“${causeText}”不是家庭财产的出险原因`);
      loss = { line, cause: cause ?? (causeText || undefined), assessedLossFen: money('assessedLoss'), description };
      break;
    }
    case 'education': {
      const levelText = text(cells.level);
      const level = codeOf(LOSS_LABELS.admissionLevels, levelText);
      if (levelText && !level) problem('level', `“${levelText}”不是录取层次，请从下拉列表选择`);
      loss = {
        line,
        level: level ?? (levelText || undefined),
        admissionYear: number('admissionYear'),
        school: text(cells.school) || undefined,
      };
      break;
    }
  }
  const input = {
    householdId: text(cells.householdId),
    memberId: text(cells.memberId),
    line,
    eventDate: date('eventDate'),
    reportDate: date('reportDate') ?? reportDate,
    loss: Object.fromEntries(Object.entries(loss).filter(([, v]) => v !== undefined)),
    documents: [],
  };
  return { input, problems };
}

/**
 * A row's key: one claim per household, member, line and event date (and crop item), whichever file or upload it
 * comes in. Re-importing the row answers the claim it filed.
 */
export const claimRowKey = (c: ClaimInput): string =>
  [c.householdId, c.memberId, c.line, c.eventDate, ...(c.loss.line === 'crop' ? [c.loss.item] : [])].join(':');

/** The row's content as written, for telling the same row from a changed one under the same key. */
export function rowContent(row: ClaimSheetRow): Record<string, string> {
  return Object.fromEntries(
    CLAIM_SHEET_COLUMNS.filter((c) => c.key !== 'name').flatMap((c) => {
      const v = row.cells[c.key];
      const t = c.date ? (rosterDate(v) ?? text(v)) : text(v);
      return t === '' ? [] : [[c.key, t]];
    }),
  );
}
