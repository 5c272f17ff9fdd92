import { maskName, maskSensitiveText, maskTail } from '../../domain/masking';
import { applyRate, formatYuan, mulDiv, yuan } from '../../domain/money';
import { addDays, daysBetween, shanghaiDateOf, startOfShanghaiDay } from '../../domain/dates';

describe('masking', () => {
  test.each([
    ['张三明', '张*明'],
    ['张三', '张*'],
    ['欧阳小明', '欧**明'],
    ['王', '王'],
  ])('maskName(%s) → %s (public-notice style)', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  test('maskTail keeps the last 4 characters', () => {
    expect(maskTail('11010519491231002X')).toBe('**************002X');
    expect(maskTail('123')).toBe('***');
  });

  test('maskSensitiveText masks IDs, 15-digit IDs, cards and mobile numbers, and leaves other numbers', () => {
    expect(
      maskSensitiveText(
        'ID 11010519491231002x, old 110105491231002, card 6217000010001234567, tel 13912345678, amount 750000, year 2026',
      ),
    ).toBe('ID **************002x, old ***********1002, card ***************4567, tel *******5678, amount 750000, year 2026');
  });
});

describe('money', () => {
  test('yuan converts to integer fen; formatYuan shows it back', () => {
    expect(yuan(12_345.67)).toBe(1_234_567);
    expect(formatYuan(1_234_567)).toBe('¥12,345.67');
    expect(formatYuan(-50)).toBe('-¥0.50');
  });

  test('applyRate rounds down to the fen and stays exact beyond 2^53 intermediates', () => {
    expect(applyRate(999, 5_000)).toBe(499);
    expect(mulDiv(9_000_000_000_000, 9_999, 10_000)).toBe(8_999_100_000_000);
  });
});

describe('dates in Asia/Shanghai', () => {
  test('an instant late on 31 Dec UTC is already 1 Jan in Shanghai', () => {
    expect(shanghaiDateOf(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(shanghaiDateOf(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });

  test('a local day starts at 16:00 UTC the day before', () => {
    expect(startOfShanghaiDay('2026-04-01').toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });

  test('day arithmetic crosses months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2026-06-10', '2026-06-30')).toBe(20);
  });
});
