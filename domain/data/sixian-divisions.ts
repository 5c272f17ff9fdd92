/**
 * 泗县 (Sixian, 341324) townships and villages. ILLUSTRATIVE: township names are Sixian's; the township codes
 * (镇 1xx, 乡 2xx) and the village names and codes are generated, since the official 12-digit statistical table
 * is not bundled. Replace this file with the year's official table in a real deployment.
 */
import type { Township } from '../divisions';

const TOWNSHIP_NAMES: [string, string][] = [
  ['100', '泗城镇'],
  ['101', '墩集镇'],
  ['102', '丁湖镇'],
  ['103', '草庙镇'],
  ['104', '山头镇'],
  ['105', '刘圩镇'],
  ['106', '大庄镇'],
  ['107', '长沟镇'],
  ['108', '黑塔镇'],
  ['109', '屏山镇'],
  ['110', '黄圩镇'],
  ['111', '草沟镇'],
  ['200', '大路口乡'],
  ['201', '瓦坊乡'],
  ['202', '大杨乡'],
];

const VILLAGE_STEMS = [
  '陈',
  '王',
  '李',
  '张',
  '刘',
  '周',
  '孙',
  '朱',
  '马',
  '胡',
  '郭',
  '徐',
  '高',
  '杨',
  '赵',
  '吴',
  '许',
  '姚',
];
const VILLAGE_SUFFIXES = ['庄', '圩', '集', '湖', '楼', '桥', '沟', '湾', '店', '岗', '场', '营'];

function villagesOf(townshipIndex: number, townshipCode: string): Township['villages'] {
  const count = 8 + (townshipIndex % 5); // 8–12 villages per township, names unique within it
  return Array.from({ length: count }, (_, i) => {
    const stem = VILLAGE_STEMS[(townshipIndex * 5 + i * 3) % VILLAGE_STEMS.length]!;
    const suffix = VILLAGE_SUFFIXES[(townshipIndex + i * 5) % VILLAGE_SUFFIXES.length]!;
    return { code: `${townshipCode}${String(i + 1).padStart(3, '0')}`, name: `${stem}${suffix}村` };
  });
}

export const SIXIAN_TOWNSHIPS: Township[] = TOWNSHIP_NAMES.map(([suffix, name], index) => {
  const code = `341324${suffix}`;
  return { code, name, villages: villagesOf(index, code) };
});
