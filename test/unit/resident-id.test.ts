import fc from 'fast-check';
import { convert15To18, makeResidentId, validateResidentId } from '../../domain/resident-id';

const TODAY = '2026-11-29';

describe('validateResidentId (GB 11643-1999)', () => {
  test.each(['11010519491231002X', '440524188001010014'])('when %s is checked, then it is valid', (id) => {
    expect(validateResidentId(id, TODAY)).toMatchObject({ valid: true, normalized: id });
  });

  test('when 340524198001010013 is checked, then the check character is wrong', () => {
    expect(validateResidentId('340524198001010013', TODAY)).toMatchObject({ valid: false, error: 'CHECK_CHARACTER' });
  });

  test('when the check character is a lowercase x, then it is normalized to X', () => {
    expect(validateResidentId('11010519491231002x', TODAY)).toMatchObject({ valid: true, normalized: '11010519491231002X' });
  });

  test('when the number is valid, then sex comes from the sequence parity and the birth date from digits 7–14', () => {
    expect(validateResidentId('11010519491231002X', TODAY)).toMatchObject({
      sex: 'female',
      birthDate: '1949-12-31',
      addressCode: '110105',
    });
    expect(validateResidentId('440524188001010014', TODAY)).toMatchObject({ sex: 'male', birthDate: '1880-01-01' });
  });

  test('when a 15-digit legacy number is given, then it is converted to 18 characters with a computed check character', () => {
    const result = validateResidentId('110105491231002', TODAY);
    expect(result).toMatchObject({ valid: true, normalized: '11010519491231002X', warnings: ['CONVERTED_FROM_15_DIGITS'] });
    expect(convert15To18('110105491231002')).toBe('11010519491231002X');
  });

  test('when the birth date does not exist, then BIRTH_DATE_INVALID', () => {
    const id = makeResidentId('341324', '1990-02-28', 12, 'male').replace('19900228', '19900230');
    expect(validateResidentId(id, TODAY)).toMatchObject({ valid: false, error: 'BIRTH_DATE_INVALID' });
  });

  test('when the birth date is after today, then BIRTH_DATE_IN_FUTURE', () => {
    expect(validateResidentId(makeResidentId('341324', '2026-11-30', 11, 'male'), TODAY)).toMatchObject({
      valid: false,
      error: 'BIRTH_DATE_IN_FUTURE',
    });
    expect(validateResidentId(makeResidentId('341324', '2026-11-29', 11, 'male'), TODAY)).toMatchObject({ valid: true });
  });

  test('when the address code has an unknown province, then it is still valid, with a warning', () => {
    expect(validateResidentId(makeResidentId('990101', '1980-01-01', 1, 'male'), TODAY)).toMatchObject({
      valid: true,
      warnings: ['UNKNOWN_PROVINCE'],
    });
  });

  test.each(['', '12345', '11010519491231002Y', '1101051949123100XX', ' 1101051949 '])(
    'when %p is malformed, then FORMAT',
    (id) => {
      expect(validateResidentId(id, TODAY)).toMatchObject({ valid: false, error: 'FORMAT' });
    },
  );

  test('for any generated number, validation agrees with how it was made', () => {
    const birth = fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-29T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        birth,
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom('male' as const, 'female' as const),
        (date, seq, sex) => {
          const id = makeResidentId('341324', date, seq, sex);
          expect(validateResidentId(id, TODAY)).toMatchObject({
            valid: true,
            normalized: id,
            birthDate: date,
            sex,
            warnings: [],
          });
        },
      ),
    );
  });

  test('for any single-digit change of a valid number, the number is rejected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = '11010519491231002X';
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        const result = validateResidentId(changed, TODAY);
        expect(result.valid).toBe(false);
      }),
    );
  });
});
