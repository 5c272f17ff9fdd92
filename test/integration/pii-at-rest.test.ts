import { createPiiCipher } from '../../common/crypto/pii';
import { householdModel } from '../../db/models/household';
import { createHouseholdRepository } from '../../db/repositories/households';
import type { Connection } from '../../db/connection';
import { aHousehold } from '../fixtures/households';
import { connectTestDatabase, dropTestDatabase, uniqueName } from '../helpers/servers';

describe('households at rest', () => {
  let mongo: Connection;
  beforeAll(async () => {
    mongo = await connectTestDatabase();
  });
  afterAll(() => dropTestDatabase(mongo));

  test('when a household is saved, then no resident ID, card or phone number is stored in clear, yet reads and lookups work', async () => {
    const repo = createHouseholdRepository(mongo, createPiiCipher('12'.repeat(32)));
    const household = aHousehold({ householdId: uniqueName('HH'), assistanceContact: { name: '王帮扶', phone: '13912345678' } });
    await repo.save(household);

    const raw = JSON.stringify(await householdModel(mongo).findOne({ householdId: household.householdId }).lean());
    for (const m of household.members) expect(raw).not.toContain(m.residentId);
    expect(raw).not.toContain(household.payoutAccount.cardNumber);
    expect(raw).not.toContain('13912345678');
    expect(raw).toContain('enc:v1:');

    expect(await repo.find(household.householdId)).toEqual(household);
    const found = await repo.search({ scope: '341324', residentId: household.members[1]!.residentId }, 10);
    expect(found.items.map((h) => h.householdId)).toEqual([household.householdId]);
    await expect(
      createHouseholdRepository(mongo, createPiiCipher('34'.repeat(32))).find(household.householdId),
    ).rejects.toThrow();
  });
});
