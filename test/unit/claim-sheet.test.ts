import { ClaimInputSchema } from '../../domain/claim';
import { claimColumnsOfHeader, claimFromRow, claimRowKey, fenOfYuan, rowContent } from '../../domain/claim-sheet';

const items = [{ code: 'wheat', name: '小麦' }];
const read = (cells: Parameters<typeof claimFromRow>[0]['cells']) =>
  claimFromRow({ row: 7, cells }, { reportDate: '2026-12-01', items });

describe('the claim sheet', () => {
  test('reads yuan as a clerk writes them into whole fen, and refuses what is no amount', () => {
    expect(fenOfYuan(8000)).toBe(800_000);
    expect(fenOfYuan('60,000')).toBe(6_000_000);
    expect(fenOfYuan('¥3200.50')).toBe(320_050);
    expect(fenOfYuan('12.5元')).toBe(1_250);
    expect(fenOfYuan(0.1 + 0.2)).toBe(30);
    expect(fenOfYuan(undefined)).toBeUndefined();
    for (const bad of ['12.345', '-5', 'abc', -1, Number.NaN, '1e3']) expect(fenOfYuan(bad)).toBeNull();
  });

  test('turns a row into the input POST /claims takes, labels into codes, the upload day as the report date', () => {
    const { input, problems } = read({
      householdId: 'HH-1',
      memberId: 'm1',
      line: '特色农产品',
      eventDate: new Date('2026-06-12T00:00:00Z'),
      cause: '自然灾害',
      item: '小麦',
      units: '6.5',
      lossPercent: 80,
    });
    expect(problems).toEqual([]);
    const claim = ClaimInputSchema.parse(input);
    expect(claim).toEqual({
      householdId: 'HH-1',
      memberId: 'm1',
      line: 'crop',
      eventDate: '2026-06-12',
      reportDate: '2026-12-01',
      loss: { line: 'crop', item: 'wheat', units: 6.5, lossRatioBp: 8_000, cause: 'natural_disaster' },
      documents: [],
    });
    expect(claimRowKey(claim)).toBe('HH-1:m1:crop:2026-06-12:wheat');
  });

  test('names each bad cell by its column: a missing field, an unknown label, another line’s column filled in', () => {
    const { problems } = read({ householdId: 'HH-1', line: '家庭财产', eventDate: '2026-07-01', cause: '洪水', totalCost: 5 });
    expect(problems).toEqual([{ row: 7, column: '成员编号', zh: '必填' }]);
    const again = read({
      householdId: 'HH-1',
      memberId: 'm1',
      line: '家庭财产',
      eventDate: '2026-07-01',
      cause: '病虫害',
      assessedLoss: 100,
      totalCost: 5,
    });
    expect(again.problems).toEqual([
      { row: 7, column: '医疗总费用（元）', zh: '本列不用于家庭财产报案，请清空或改正险种' },
      { row: 7, column: '出险原因', zh: '“病虫害”不是家庭财产的出险原因' },
    ]);
    expect(read({ householdId: 'H', memberId: 'm1', line: '寿险', eventDate: '2026-07-01' }).problems).toEqual([
      { row: 7, column: '险种', zh: '“寿险”不是险种，请从下拉列表选择' },
    ]);
  });

  test('finds its columns by header (the template’s * marks ignored) and says which required ones are missing', () => {
    expect(claimColumnsOfHeader(['户编号*', '成员编号*', '险种*', '出险日期*', '其他'])).toEqual(
      new Map([
        [0, 'householdId'],
        [1, 'memberId'],
        [2, 'line'],
        [3, 'eventDate'],
      ]),
    );
    expect(claimColumnsOfHeader(['户编号', '姓名'])).toEqual({ missing: ['成员编号', '险种', '出险日期'] });
  });

  test('keeps a row’s content as written (dates in one form, the name aside), so the same row reads the same', () => {
    const cells = {
      householdId: 'HH-1',
      memberId: 'm1',
      name: '张三',
      line: '家庭财产',
      eventDate: '2026/7/1',
      assessedLoss: 100,
    };
    expect(rowContent({ row: 2, cells })).toEqual(rowContent({ row: 9, cells: { ...cells, name: '', eventDate: '2026-07-01' } }));
  });
});
