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
