import { Agent, request } from 'node:http';
/** The benchmark's households, claims, people and API calls: one village of 泗县, property claims with unique losses. */
import type { ClaimDocument, ClaimInput } from '../domain/claim';
import type { Household } from '../domain/household';
import { SIXIAN_PRODUCTS } from '../domain/products';
import { documentsFor, syntheticFiles, syntheticHousehold } from '../domain/synthetic';
import type { Actor } from '../workflows/claim/types';

export const VILLAGE = '341324105003';
export const people = {
  filer: { userId: 'bench-clerk', role: 'village', jurisdiction: VILLAGE },
  village: { userId: 'bench-village-head', role: 'village', jurisdiction: VILLAGE },
  township: { userId: 'bench-township', role: 'township', jurisdiction: VILLAGE.slice(0, 9) },
  county: { userId: 'bench-county', role: 'county', jurisdiction: '341324' },
} satisfies Record<string, Actor>;

/** A synthetic household moved to the bench village, insured as 脱贫户 and enrolled in every line for 2026. */
export function benchHousehold(index: number): Household {
  const household = syntheticHousehold(index, { seed: 9, policyYear: 2026, products: SIXIAN_PRODUCTS });
  return {
    ...household,
    householdId: `HB${String(index).padStart(8, '0')}`,
    divisionCode: VILLAGE,
    categoryHistory: [{ category: 'poverty_alleviated', from: '2018-12-01', reason: '脱贫' }],
    enrollments: (['crop', 'health', 'accident', 'property', 'education'] as const).map((line) => ({
      policyYear: 2026,
      line,
      enrolledOn: line === 'health' ? '2026-04-01' : '2026-05-31',
    })),
  };
}

/** Fire damage of ¥8,000 on a day of its own (the n-th loss of the household), with its own evidence document. */
export function propertyClaim(household: Household, n: number): ClaimInput {
  const day = new Date(Date.parse('2026-06-01T00:00:00Z') + (n % 170) * 86_400_000).toISOString().slice(0, 10);
  return {
    householdId: household.householdId,
    memberId: household.members[0]!.memberId,
    line: 'property',
    eventDate: day,
    reportDate: day,
    loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000 },
    documents: documentsFor('property', `${household.householdId}#${n}`, SIXIAN_PRODUCTS),
  };
}

/** One keep-alive HTTP agent for every call the bench makes (as a load tool would: no per-request fetch machinery). */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Uploads the files of a claim's synthetic documents (POST /documents), as a clerk does before filing. */
export async function uploadFiles(base: string, token: string, documents: readonly ClaimDocument[]): Promise<void> {
  for (const content of syntheticFiles(documents)) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${base}/documents`,
        {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-length': content.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(content);
    });
    if (status !== 200 && status !== 201) throw new Error(`document upload refused: ${status}`);
  }
}
