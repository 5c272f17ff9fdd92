import { checkDivisionCode, divisionTable, findDivision, isInJurisdiction } from '../../domain/divisions';

describe('division codes', () => {
  test('a 12-digit village code splits into county, township and village', () => {
    expect(checkDivisionCode('341324105003')).toEqual({
      valid: true,
      parts: {
        level: 'village',
        provinceCode: '34',
        countyCode: '341324',
        townshipCode: '341324105',
        villageCode: '341324105003',
      },
    });
  });

  test.each([
    ['34132', 'must be 6, 9 or 12 digits'],
    ['991324', 'unknown province code 99'],
    ['341300', 'the first 6 digits must name a county, not a province or city'],
    ['341324000', 'digits 7–9 must name a township'],
    ['341324105000', 'digits 10–12 must name a village'],
  ])('when %s is checked, then it is refused: %s', (code, message) => {
    expect(checkDivisionCode(code)).toEqual({ valid: false, message });
  });

  test('the Sixian table names the county, its 15 townships and their villages', () => {
    const table = divisionTable(2026);
    expect(table.county).toMatchObject({ code: '341324', name: '泗县', cityName: '宿州市' });
    expect(table.townships).toHaveLength(15);
    for (const t of table.townships) {
      expect(new Set(t.villages.map((v) => v.name)).size).toBe(t.villages.length);
      for (const v of t.villages)
        expect(checkDivisionCode(v.code)).toMatchObject({ valid: true, parts: { townshipCode: t.code } });
    }
  });

  test('findDivision resolves known codes and refuses unknown ones', () => {
    expect(findDivision('341324', 2026)).toMatchObject({ level: 'county', name: '泗县' });
    expect(findDivision('341324105', 2026)).toMatchObject({ level: 'township', name: '刘圩镇' });
    expect(findDivision('341324105003', 2026)).toMatchObject({ level: 'village' });
    expect(findDivision('341324105999', 2026)).toBeUndefined();
    expect(findDivision('110105', 2026)).toBeUndefined();
  });

  test('a jurisdiction is a prefix: the county sees every village, a township only its own', () => {
    expect(isInJurisdiction('341324105003', '341324')).toBe(true);
    expect(isInJurisdiction('341324105003', '341324105')).toBe(true);
    expect(isInJurisdiction('341324106003', '341324105')).toBe(false);
  });
});
