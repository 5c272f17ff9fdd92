import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintStaffToken, type AuthSettings } from '../api/auth/tokens';
import { pollUntil } from '../common/poll';
import type { ClaimDocument, ClaimInput } from '../domain/claim';
import { LINES, type Line } from '../domain/codes';
import { formatYuan } from '../domain/money';
import { SIXIAN_PRODUCTS } from '../domain/products';
import { seededRandom } from '../domain/random';
import { documentsFor, syntheticDocument, syntheticFiles, syntheticHousehold } from '../domain/synthetic';
import type { Household } from '../domain/household';
import type { Actor } from '../workflows/claim/types';
import { stackDir } from './stack/local-stack';

/**
 * `npm run demo -- [N]` against a running `npm start`: registers synthetic Sixian households, files N claims across the
 * five lines as village clerks would, drives them through village review, notice, township and county approval, lets
 * the insurer and bank simulators decide and pay, and prints a summary.
 */
const N = Number(process.argv[2] ?? 25);
const random = seededRandom(Date.now() % 100_000);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function serviceUrl(): string {
  const file = join(stackDir('dev'), 'service.json');
  if (!existsSync(file)) throw new Error('fangpin is not running: start it with `npm start` first');
  return (JSON.parse(readFileSync(file, 'utf8')) as { apiUrl: string }).apiUrl;
}

const auth: AuthSettings = {
  secret: readFileSync(join(stackDir('dev'), 'auth.secret'), 'utf8').trim(),
  issuer: process.env.AUTH_ISSUER ?? 'fangpin',
  audience: process.env.AUTH_AUDIENCE ?? 'fangpin-api',
  tokenTtlMs: 3_600_000,
};
const tokens = new Map<string, Promise<string>>();
const tokenOf = (actor: Actor) => {
  const key = `${actor.userId}@${actor.jurisdiction}`;
  if (!tokens.has(key)) tokens.set(key, mintStaffToken(auth, actor));
  return tokens.get(key)!;
};

async function api<T>(
  base: string,
  actor: Actor,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${await tokenOf(actor)}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Uploads the files of a claim's synthetic documents (POST /documents) before they are listed, as the workbench does. */
async function upload(base: string, actor: Actor, documents: readonly ClaimDocument[]): Promise<void> {
  for (const content of syntheticFiles(documents)) {
    const res = await fetch(`${base}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf(actor)}`, 'content-type': 'application/pdf' },
      body: content,
    });
    if (!res.ok) throw new Error(`uploading a document: ${res.status} ${await res.text()}`);
  }
}

const staff = (h: Household) => ({
  clerk: { userId: `clerk-${h.divisionCode}`, role: 'village', jurisdiction: h.divisionCode } as Actor,
  head: { userId: `head-${h.divisionCode}`, role: 'village', jurisdiction: h.divisionCode } as Actor,
  township: {
    userId: `township-${h.divisionCode.slice(0, 9)}`,
    role: 'township',
    jurisdiction: h.divisionCode.slice(0, 9),
  } as Actor,
  county: { userId: 'county-demo', role: 'county', jurisdiction: '341324' } as Actor,
});

function claimFor(h: Household, line: Line): ClaimInput {
  const day = `2026-${String(6 + Math.floor(random() * 5)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const base = {
    householdId: h.householdId,
    memberId: h.members[0]!.memberId,
    line,
    eventDate: day,
    reportDate: day,
    documents: documentsFor(line, `${h.householdId}-${line}-${day}`, SIXIAN_PRODUCTS),
  };
  switch (line) {
    case 'crop':
      return {
        ...base,
        loss: {
          line,
          item: pick(['wheat', 'sweet_potato', 'gold_thread_melon', 'beef_cattle', 'goat']),
          units: 1 + Math.floor(random() * 8),
          lossRatioBp: 2_000 + Math.floor(random() * 8_000),
          cause: 'natural_disaster',
        },
      };
    case 'health': {
      const total = 500_000 + Math.floor(random() * 15_000_000);
      return {
        ...base,
        loss: {
          line,
          totalCostFen: total,
          basicInsuranceFen: Math.floor(total * 0.5),
          criticalIllnessFen: Math.floor(total * 0.1),
          medicalAssistanceFen: Math.floor(total * 0.05),
          otherInsuranceFen: 0,
          nonCompliantFen: Math.floor(total * 0.03),
        },
      };
    }
    case 'accident':
      return {
        ...base,
        loss:
          random() < 0.8
            ? { line, kind: 'medical', medicalCostFen: 50_000 + Math.floor(random() * 800_000) }
            : { line, kind: 'disability', disabilityGrade: 1 + Math.floor(random() * 10) },
      };
    case 'property':
      return {
        ...base,
        loss: {
          line,
          cause: pick(['fire', 'storm', 'flood', 'hail', 'collapse'] as const),
          assessedLossFen: 100_000 + Math.floor(random() * 3_000_000),
        },
      };
    case 'education': {
      const student = h.members.find((m) => m.relation === 'child') ?? h.members[0]!;
      return {
        ...base,
        memberId: student.memberId,
        eventDate: '2026-07-25',
        reportDate: '2026-07-28',
        loss: {
          line,
          level: pick(['bachelor', 'junior_college'] as const),
          admissionYear: 2026,
          school: pick(['安徽大学', '宿州学院', '合肥工业大学']),
        },
      };
    }
  }
}

function bar(done: number, total: number, label: string): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}   `);
}

interface Live {
  stage: string;
  status: string;
  line: string;
  paidFen: number;
  reasons: { code: string }[];
  pendingAccount?: unknown;
}

async function main(): Promise<void> {
  const base = serviceUrl();
  const seed = Date.now() % 1_000;
  const households = Array.from({ length: N }, (_, i) =>
    syntheticHousehold(i, { seed, policyYear: 2026, products: SIXIAN_PRODUCTS }),
  );
  for (const [i, h] of households.entries()) {
    const put = await api(base, staff(h).clerk, 'PUT', `/households/${h.householdId}`, h);
    if (put.status >= 300) throw new Error(`registering ${h.householdId}: ${put.status} ${JSON.stringify(put.body)}`);
    bar(i + 1, N, 'households registered');
  }
  process.stderr.write('\n');

  const claims: { claimNo: string; h: Household }[] = [];
  for (const [i, h] of households.entries()) {
    const claim = claimFor(h, LINES[i % LINES.length]!);
    await upload(base, staff(h).clerk, claim.documents);
    const filed = await api<{ claimNo: string }>(base, staff(h).clerk, 'POST', '/claims', claim);
    if (filed.status !== 202) throw new Error(`filing: ${filed.status} ${JSON.stringify(filed.body)}`);
    claims.push({ claimNo: filed.body.claimNo, h });
    bar(i + 1, N, 'claims filed');
  }
  process.stderr.write('\n');

  const finals = new Map<string, Live>();
  const state = async (claimNo: string, h: Household) =>
    (await api<{ live: Live }>(base, staff(h).county, 'GET', `/claims/${claimNo}?include=live`)).body.live;
  await Promise.all(
    claims.map(async ({ claimNo, h }) => {
      const people = staff(h);
      const act = (actor: Actor, action: string, body: object = {}) =>
        api(base, actor, 'POST', `/claims/${claimNo}/actions/${action}`, body);
      for (;;) {
        const live = await pollUntil(
          `claim ${claimNo}`,
          async () => {
            const s = await state(claimNo, h);
            return [
              'village_review',
              'township_review',
              'county_approval',
              'held_duplicate',
              'documents_requested',
              'payout_bounced',
              'closed',
            ].includes(s.stage)
              ? s
              : undefined;
          },
          { timeoutMs: 600_000, intervalMs: 1_000 },
        );
        if (live.stage === 'closed') {
          finals.set(claimNo, live);
          bar(finals.size, N, 'claims settled');
          return;
        }
        if (live.stage === 'village_review') await act(people.head, 'review');
        else if (live.stage === 'township_review') await act(people.township, 'approve');
        else if (live.stage === 'county_approval') await act(people.county, 'approve');
        else if (live.stage === 'held_duplicate') await act(people.county, 'reject', { reason: '重复报案' });
        else if (live.stage === 'documents_requested') {
          const documents = [syntheticDocument(`补充发票-${claimNo}.pdf`, 'invoice')];
          await upload(base, people.county, documents);
          await act(people.county, 'supplyDocuments', { documents });
        } else if (live.stage === 'payout_bounced') return void finals.set(claimNo, live); // needs a person to correct the account
      }
    }),
  );
  process.stderr.write('\n\n');

  const count = (key: (l: Live) => string, which: (l: Live) => boolean = () => true) =>
    [...finals.values()]
      .filter(which)
      .reduce<Record<string, number>>((acc, l) => ({ ...acc, [key(l)]: (acc[key(l)] ?? 0) + 1 }), {});
  const paid = [...finals.values()].reduce((sum, l) => sum + l.paidFen, 0);
  console.log(
    'by stage/status:',
    count((l) => (l.stage === 'closed' ? l.status : l.stage)),
  );
  console.log(
    'by line:        ',
    count((l) => l.line),
  );
  console.log(
    'rejects by reason:',
    count(
      (l) => l.reasons.map((r) => r.code).join('+') || 'by the insurer',
      (l) => l.status === 'rejected',
    ),
  );
  console.log(
    `paid in total:   ${formatYuan(paid)} to ${[...finals.values()].filter((l) => l.status === 'paid').length} households`,
  );
}

main().catch((error: unknown) => {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
