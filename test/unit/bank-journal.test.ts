import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../../sim/bank/ledger-journal';

describe("the bank simulator's durable ledger", () => {
  test('the latest state of each key is read back; a line torn by a crash is skipped', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-')), 'ledger.jsonl');
    const journal = openJournal<{ idempotencyKey: string; status: string }>(path);
    expect(journal.load()).toEqual([]);
    journal.record({ idempotencyKey: 'k1', status: 'accepted' });
    journal.record({ idempotencyKey: 'k2', status: 'accepted' });
    journal.record({ idempotencyKey: 'k1', status: 'confirmed' });
    appendFileSync(path, '{"idempotencyKey":"k2","status":"conf');
    const reopened = openJournal<{ idempotencyKey: string; status: string }>(path);
    expect(reopened.load()).toEqual([
      { idempotencyKey: 'k1', status: 'confirmed' },
      { idempotencyKey: 'k2', status: 'accepted' },
    ]);
    // after the restart, the next change is a line of its own
    reopened.record({ idempotencyKey: 'k2', status: 'confirmed' });
    expect(openJournal(path).load()).toEqual([
      { idempotencyKey: 'k1', status: 'confirmed' },
      { idempotencyKey: 'k2', status: 'confirmed' },
    ]);
  });
});
