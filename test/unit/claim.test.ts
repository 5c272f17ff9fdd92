import { ClaimInputSchema, formatClaimNo, parseClaimNo } from '../../domain/claim';
import { fingerprintClaim } from '../../domain/fingerprint';
import { aClaim } from '../fixtures/households';

const sha = (c: string) => c.repeat(64);

describe('claim numbers', () => {
  test('when formatted, then FP-date-county-sequence, parseable back', () => {
    const no = formatClaimNo('2026-11-29', '341324', 123);
    expect(no).toBe('FP-20261129-341324-000123');
    expect(parseClaimNo(no)).toEqual({ filedOn: '2026-11-29', countyCode: '341324', sequence: 123 });
  });

  test('claim numbers sort by filing date, then sequence', () => {
    const nos = [
      formatClaimNo('2026-12-01', '341324', 1),
      formatClaimNo('2026-11-29', '341324', 10),
      formatClaimNo('2026-11-29', '341324', 2),
    ];
    expect([...nos].sort()).toEqual([nos[2], nos[1], nos[0]]);
  });

  test('when the sequence is out of range, then formatting refuses', () => {
    expect(() => formatClaimNo('2026-11-29', '341324', 0)).toThrow(RangeError);
    expect(() => formatClaimNo('2026-11-29', '341324', 1_000_000)).toThrow(RangeError);
  });
});

describe('ClaimInputSchema', () => {
  test('when the loss details are for another line, then the error points at loss.line', () => {
    const result = ClaimInputSchema.safeParse({ ...aClaim(), line: 'accident' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['loss.line']);
  });

  test('when amounts are fractional fen or negative, then each field is named', () => {
    const claim = aClaim();
    const result = ClaimInputSchema.safeParse({ ...claim, loss: { ...claim.loss, totalCostFen: 10.5, basicInsuranceFen: -1 } });
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['loss.basicInsuranceFen', 'loss.totalCostFen']);
  });

  test('when crop units have more than 2 decimals, then rejected', () => {
    const result = ClaimInputSchema.safeParse(
      aClaim({ line: 'crop', loss: { line: 'crop', item: 'wheat', units: 1.234, lossRatioBp: 5000, cause: 'disease' } }),
    );
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['loss.units']);
  });
});

describe('fingerprintClaim', () => {
  const invoice = { name: '住院发票', kind: 'invoice' as const, sha256: sha('a') };
  const idCard = { name: '身份证', kind: 'id_card' as const, sha256: sha('b') };

  test('when the same loss is filed twice, then the event keys are equal', () => {
    expect(fingerprintClaim(aClaim()).eventKey).toBe(fingerprintClaim(aClaim({ reportDate: '2026-07-25' })).eventKey);
  });

  test('when the same invoice backs claims under two lines or for two members, then they share a document key', () => {
    const health = fingerprintClaim(aClaim({ documents: [invoice, idCard] }));
    const accident = fingerprintClaim(
      aClaim({
        line: 'accident',
        memberId: 'm2',
        loss: { line: 'accident', kind: 'medical', medicalCostFen: 1 },
        documents: [invoice],
      }),
    );
    expect(health.documentKeys).toEqual([`document:${sha('a')}`]);
    expect(accident.documentKeys).toEqual(health.documentKeys);
    expect(accident.eventKey).not.toBe(health.eventKey);
  });

  test('when one member claims two lines for the same day, then the overlap key matches but the event key does not', () => {
    const a = fingerprintClaim(aClaim());
    const b = fingerprintClaim(aClaim({ line: 'accident', loss: { line: 'accident', kind: 'medical', medicalCostFen: 1 } }));
    expect(a.overlapKey).toBe(b.overlapKey);
    expect(a.eventKey).not.toBe(b.eventKey);
  });

  test('when two different crop items are lost the same day, then they are not duplicates', () => {
    const wheat = aClaim({ line: 'crop', loss: { line: 'crop', item: 'wheat', units: 1, lossRatioBp: 5000, cause: 'disease' } });
    const goat = aClaim({ line: 'crop', loss: { line: 'crop', item: 'goat', units: 1, lossRatioBp: 10000, cause: 'disease' } });
    expect(fingerprintClaim(wheat).eventKey).not.toBe(fingerprintClaim(goat).eventKey);
  });

  test('education: the same level in the same admission year is a duplicate; a higher level is a top-up', () => {
    const edu = (level: 'bachelor' | 'junior_college', eventDate: string) =>
      fingerprintClaim(
        aClaim({
          line: 'education',
          memberId: 'm3',
          eventDate,
          loss: { line: 'education', level, admissionYear: 2026, school: 'x' },
        }),
      );
    expect(edu('bachelor', '2026-07-20').eventKey).toBe(edu('bachelor', '2026-08-01').eventKey);
    expect(edu('bachelor', '2026-07-20').eventKey).not.toBe(edu('junior_college', '2026-07-20').eventKey);
  });
});
