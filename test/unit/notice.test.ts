import { buildPublicNotice, eventInWords, type ClaimUnderNotice } from '../../domain/notice';

const contacts = {
  issuer: { zh: '泗县乡村振兴局', en: 'Sixian bureau' },
  objectionLine: '0557-7021234',
  howToObject: { zh: '向村委会反映', en: 'tell the village committee' },
};
const claim = (claimNo: string, startedAt: string, overrides: Partial<ClaimUnderNotice> = {}): ClaimUnderNotice => ({
  claimNo,
  householdId: 'HH-1',
  memberId: 'm1',
  line: 'property',
  eventDate: '2026-07-01',
  lossKind: 'fire',
  proposedFen: 750_000,
  notice: { round: 1, startedAt, endsAt: new Date(Date.parse(startedAt) + 5 * 86_400_000).toISOString() },
  ...overrides,
});

describe('the public notice', () => {
  const members: Record<string, { name: string; relation: 'head' | 'spouse' }> = {
    'HH-1/m1': { name: '张建国', relation: 'head' },
    'HH-1/m2': { name: '李秀英', relation: 'spouse' },
  };
  const build = (claims: ClaimUnderNotice[]) =>
    buildPublicNotice({
      village: { code: '341324105003', name: '大庄镇某村' },
      contacts,
      claims,
      member: (h, m) => members[`${h}/${m}`],
      now: new Date('2026-12-01T17:00:00Z'), // 2026-12-02 in Beijing
    });

  it('groups the claims by notice round (Beijing days), oldest round first, and masks every name', () => {
    const notice = build([
      claim('FP-3', '2026-11-30T01:00:00Z', { memberId: 'm2', line: 'health', lossKind: null }),
      claim('FP-1', '2026-11-28T17:30:00Z'), // 2026-11-29 in Beijing
      claim('FP-2', '2026-11-29T03:00:00Z', { memberId: 'm9' }),
    ]);
    expect(notice.issuedOn).toBe('2026-12-02');
    expect(notice.rounds.map((r) => [r.roundId, r.startedOn, r.endsOn, r.entries.map((e) => e.claimNo)])).toEqual([
      ['341324105003:2026-11-29', '2026-11-29', '2026-12-04', ['FP-1', 'FP-2']],
      ['341324105003:2026-11-30', '2026-11-30', '2026-12-05', ['FP-3']],
    ]);
    const [first, second] = notice.rounds;
    expect(first!.entries[0]).toMatchObject({ name: '张*国', relation: { zh: '户主' }, proposedFen: 750_000 });
    // a member no longer on the household is still listed, never left off, and never named
    expect(first!.entries[1]).toMatchObject({ claimNo: 'FP-2', name: '—' });
    expect(second!.entries[0]).toMatchObject({
      name: '李*英',
      relation: { zh: '配偶' },
      event: { zh: '2026-07-01 医疗费用救助' },
    });
    expect(notice.villageContact.zh).toBe('大庄镇某村村民委员会（村部）');
  });

  it('says what happened in plain words for each line, without a health detail', () => {
    expect(eventInWords('property', '2026-07-01', 'storm').zh).toBe('2026-07-01 因暴风、暴雨造成家庭财产损失');
    expect(eventInWords('crop', '2026-06-01', 'disease').zh).toBe('2026-06-01 因病虫害造成种植养殖损失');
    expect(eventInWords('accident', '2026-05-01', 'death').zh).toBe('2026-05-01 意外身故');
    expect(eventInWords('education', '2026-08-20', 'bachelor').zh).toBe('2026-08-20 考取本科');
    expect(eventInWords('health', '2026-07-10', null)).toEqual({
      zh: '2026-07-10 医疗费用救助',
      en: '2026-07-10 medical cost relief',
    });
  });
});
