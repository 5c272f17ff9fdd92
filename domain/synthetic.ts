/**
 * Synthetic Sixian households for the demo, tests and benchmarks: plausible names, valid resident IDs, dated category
 * histories, enrollments and payout accounts. Reproducible from a seed, and random-access: household `i` of a seed is
 * always the same and costs the same to make, so 10 or 1,000,000 can be generated lazily.
 */
import { createHash } from 'node:crypto';
import type { ClaimDocument } from './claim';
import { DOCUMENT_LABELS, LINES, MANDATORY_LINES, type Category, type DocumentKind, type Line } from './codes';
import { addDays, type LocalDate } from './dates';
import { divisionTable } from './divisions';
import type { Household } from './household';
import type { Product } from './product';
import { seededRandom } from './random';
import { makeResidentId } from './resident-id';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹';
const GIVEN = '建国华明军平伟芳秀英兰玉文志强海红梅丽春永成德福桂凤金霞林涛杰磊静敏洋浩宇欣雨子梓涵轩博';
const OTHER_ANHUI_ADDRESS_CODES = ['341302', '341321', '341322', '341323', '340321', '341203'];

/** A per-household seed from the data set's seed and the index (integer hash, so index i never depends on i−1). */
function mix(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

class Dice {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  date(fromYear: number, toYear: number): LocalDate {
    const y = this.int(fromYear, toYear);
    const m = this.int(1, 12);
    const d = this.int(1, 28);
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
}

function luhnComplete(partial: string): string {
  for (let check = 0; check <= 9; check++) {
    const candidate = partial + String(check);
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

export interface SyntheticOptions {
  seed: number;
  /** The current policy year: households are enrolled for it and the year before. */
  policyYear: number;
  /** Product versions, used for enrollment dates (each line's period start). */
  products: readonly Product[];
}

export function syntheticHousehold(index: number, { seed, policyYear, products }: SyntheticOptions): Household {
  const dice = new Dice(seededRandom(mix(seed, index)));
  const table = divisionTable(policyYear);
  const township = dice.pick(table.townships);
  const village = dice.pick(township.villages);
  const surname = dice.pick([...SURNAMES]);
  const given = () => (dice.chance(0.6) ? dice.pick([...GIVEN]) + dice.pick([...GIVEN]) : dice.pick([...GIVEN]));
  const addressCode = () => (dice.chance(0.9) ? '341324' : dice.pick(OTHER_ANHUI_ADDRESS_CODES));
  const householdId = `HH${String(seed % 1000).padStart(3, '0')}${String(index).padStart(8, '0')}`;

  const members: Household['members'] = [];
  const person = (relation: Household['members'][number]['relation'], name: string, birth: LocalDate, sex: 'male' | 'female') => {
    members.push({
      memberId: `${householdId}-${members.length + 1}`,
      name,
      residentId: makeResidentId(addressCode(), birth, dice.int(0, 999), sex),
      relation,
    });
  };
  const headSex = dice.chance(0.8) ? 'male' : 'female';
  const headBirthYear = policyYear - dice.int(35, 75);
  person('head', surname + given(), dice.date(headBirthYear, headBirthYear), headSex);
  if (dice.chance(0.7)) {
    const spouseYear = headBirthYear + dice.int(-5, 5);
    person(
      'spouse',
      dice.pick([...SURNAMES]) + given(),
      dice.date(spouseYear, spouseYear),
      headSex === 'male' ? 'female' : 'male',
    );
  }
  for (let c = dice.int(0, 3); c > 0; c--) {
    const childYear = Math.min(policyYear - 1, headBirthYear + dice.int(20, 40));
    person('child', surname + given(), dice.date(childYear, childYear), dice.chance(0.5) ? 'male' : 'female');
  }
  if (dice.chance(0.2) && headBirthYear - 25 > policyYear - 95) {
    const parentYear = headBirthYear - dice.int(20, 30);
    person('parent', surname + given(), dice.date(parentYear, parentYear), dice.chance(0.5) ? 'male' : 'female');
  }

  const categoryHistory = syntheticCategories(dice, policyYear);
  const enrollments: Household['enrollments'] = [];
  for (const year of [policyYear - 1, policyYear]) {
    const product = products.find((p) => p.policyYear === year);
    if (!product) continue;
    for (const line of LINES as readonly Line[]) {
      const rule = product.lines[line];
      if (!rule) continue;
      if (!MANDATORY_LINES.includes(line) && !dice.chance(line === 'property' ? 0.6 : 0.4)) continue;
      enrollments.push({
        policyYear: year,
        line,
        enrolledOn: addDays(rule.period.start, dice.chance(0.9) ? 0 : dice.int(1, 60)),
      });
    }
  }

  const head = members[0]!;
  return {
    householdId,
    divisionCode: village.code,
    members,
    categoryHistory,
    enrollments,
    payoutAccount: {
      kind: dice.chance(0.85) ? 'social_security_card' : 'one_card',
      cardNumber: luhnComplete(`621700${dice.digits(12)}`),
      bankName: dice.pick(['泗县农村商业银行', '中国农业银行泗县支行', '中国邮政储蓄银行泗县支行']),
      holderName: head.name,
      holderResidentId: head.residentId,
    },
    assistanceContact: {
      name: dice.pick([...SURNAMES]) + given(),
      phone: `1${dice.pick(['3', '5', '7', '8', '9'])}${dice.digits(9)}`,
      unit: '泗县帮扶单位',
    },
  };
}

function syntheticCategories(dice: Dice, policyYear: number): Household['categoryHistory'] {
  const roll = dice.next();
  const alleviatedOn = dice.date(2016, 2020);
  if (roll < 0.7) return [{ category: 'poverty_alleviated', from: alleviatedOn, reason: '脱贫' }];
  if (roll < 0.85) {
    // alleviated, then included into monitoring as unstable
    const includedOn = dice.date(2021, policyYear - 1);
    return [
      { category: 'poverty_alleviated', from: alleviatedOn, to: addDays(includedOn, -1), reason: '脱贫' },
      { category: 'monitored_unstable', from: includedOn, reason: '纳入监测' },
    ];
  }
  const category: Category = dice.pick(['monitored_marginal', 'monitored_sudden_hardship'] as const);
  const includedOn = dice.date(2021, policyYear - 2);
  if (dice.chance(0.3)) {
    const clearedOn = dice.date(Number(includedOn.slice(0, 4)) + 1, policyYear - 1);
    return [
      { category, from: includedOn, to: addDays(clearedOn, -1), reason: '纳入监测' },
      { category: 'ordinary', from: clearedOn, reason: '风险消除' },
    ];
  }
  return [{ category, from: includedOn, reason: '纳入监测' }];
}

/** Households 0 … count−1 of a seed, lazily. */
export function* syntheticHouseholds(count: number, options: SyntheticOptions): Generator<Household> {
  for (let i = 0; i < count; i++) yield syntheticHousehold(i, options);
}

/**
 * A claim's documents: one of each kind its line requires (in any product that has the line), named and hashed from
 * `seed`, so every claim's loss evidence is its own and never makes two claims look like duplicates.
 */
export function documentsFor(line: Line, seed: string, products: readonly Product[]): ClaimDocument[] {
  const kinds = new Set(products.flatMap((p) => p.lines[line]?.requiredDocuments ?? []));
  return [...kinds].map((kind) => {
    const tag = createHash('sha256').update(`${seed}|${kind}`).digest('hex').slice(0, 8);
    return syntheticDocument(`${DOCUMENT_LABELS[kind].zh}-${tag}.pdf`, kind);
  });
}

/**
 * The file behind a synthetic document: a one-line PDF naming it, so its content (and its SHA-256) follows from its
 * name and kind alone, and whoever files a synthetic claim can upload its files first.
 */
export const syntheticDocumentContent = (name: string, kind: DocumentKind): Buffer =>
  Buffer.from(`%PDF-1.4\n% fangpin synthetic document: ${kind} ${name}\n%%EOF\n`, 'utf8');

/** A document listing whose file is `syntheticDocumentContent(name, kind)`. */
export function syntheticDocument(name: string, kind: DocumentKind): ClaimDocument {
  return { name, kind, sha256: createHash('sha256').update(syntheticDocumentContent(name, kind)).digest('hex') };
}

/** The files of the synthetic documents among these (the others, typed in by hand, have none). */
export function syntheticFiles(documents: readonly ClaimDocument[]): Buffer[] {
  return documents.flatMap((d) => {
    const content = syntheticDocumentContent(d.name, d.kind);
    return createHash('sha256').update(content).digest('hex') === d.sha256 ? [content] : [];
  });
}
