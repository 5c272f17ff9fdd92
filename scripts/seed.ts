import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mintStaffToken, type AuthSettings } from '../api/auth/tokens';
import { SIXIAN_PRODUCTS } from '../domain/products';
import { syntheticHouseholds } from '../domain/synthetic';
import type { Actor } from '../workflows/claim/types';

/**
 * Seeds a synthetic Sixian county through the API (households across its townships and villages, with category
 * histories and enrolled lines) when none is registered yet. Returns ready-to-use staff tokens for one village, its
 * township, the county and ops.
 */
export async function seedCounty({
  apiUrl,
  auth,
  count = 200,
  seed = 2026,
}: {
  apiUrl: string;
  auth: AuthSettings;
  count?: number;
  seed?: number;
}) {
  const county: Actor = { userId: 'county-admin', role: 'county', jurisdiction: '341324', name: '县乡村振兴局' };
  const countyToken = await mintStaffToken(auth, county);
  const headers = { authorization: `Bearer ${countyToken}`, 'content-type': 'application/json' };
  const firstPage = async () => {
    const res = await fetch(`${apiUrl}/households?limit=1`, { headers });
    if (!res.ok) throw new Error(`listing households: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { items: { divisionCode: string }[] }).items;
  };
  const existing = await firstPage();
  let seeded = 0;
  if (existing.length === 0) {
    for (const household of syntheticHouseholds(count, { seed, policyYear: 2026, products: SIXIAN_PRODUCTS })) {
      const res = await fetch(`${apiUrl}/households/${household.householdId}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify(household),
      });
      if (res.status >= 300) throw new Error(`seeding ${household.householdId}: ${res.status} ${await res.text()}`);
      seeded += 1;
    }
  }
  const sample = (await firstPage())[0];
  const village = sample?.divisionCode ?? '341324100001';
  const people: Record<string, Actor> = {
    village: { userId: 'village-clerk', role: 'village', jurisdiction: village, name: '村干部' },
    township: { userId: 'township-officer', role: 'township', jurisdiction: village.slice(0, 9), name: '乡镇干部' },
    county,
    ops: { userId: 'ops-oncall', role: 'ops', jurisdiction: '341324', name: '运维值班' },
  };
  const tokens: Record<string, string> = {};
  for (const [role, actor] of Object.entries(people)) tokens[role] = await mintStaffToken(auth, actor);
  return { seeded, tokens, people };
}

export interface DemoAccount {
  username: string;
  password: string;
  displayName: string;
  role: Actor['role'];
  jurisdiction: string;
}

/**
 * Demo accounts for each role (a second village account, so one person files and another reviews), created through
 * the administrator API with a minted administrator token, as a deployment's first administrator would be. Passwords
 * are made once per local stack and kept in `file` (0600); accounts that exist already are left as they are.
 */
export async function seedAccounts({
  apiUrl,
  auth,
  village,
  file,
}: {
  apiUrl: string;
  auth: AuthSettings;
  village: string;
  file: string;
}): Promise<DemoAccount[]> {
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoAccount[]) : [];
  const password = (username: string) =>
    kept.find((a) => a.username === username)?.password ??
    `demo-${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x')}-26`;
  const accounts: DemoAccount[] = [
    { username: 'admin', displayName: '县级管理员', role: 'admin', jurisdiction: village.slice(0, 6) },
    { username: 'village', displayName: '村级经办人', role: 'village', jurisdiction: village },
    { username: 'village2', displayName: '村委会主任', role: 'village', jurisdiction: village },
    { username: 'township', displayName: '乡镇审核人', role: 'township', jurisdiction: village.slice(0, 9) },
    { username: 'county', displayName: '县级审批人', role: 'county', jurisdiction: village.slice(0, 6) },
    { username: 'ops', displayName: '运维值班', role: 'ops', jurisdiction: village.slice(0, 6) },
  ].map((a) => ({ ...a, role: a.role as Actor['role'], password: password(a.username) }));
  const adminToken = await mintStaffToken(auth, {
    userId: 'setup',
    role: 'admin',
    jurisdiction: village.slice(0, 6),
    name: '初始化',
  });
  for (const { password: pw, ...account } of accounts) {
    const res = await fetch(`${apiUrl}/admin/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...account, password: pw }),
    });
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`seeding account ${account.username}: ${res.status} ${await res.text()}`);
  }
  writeFileSync(file, JSON.stringify(accounts, null, 2), { mode: 0o600 });
  return accounts;
}
