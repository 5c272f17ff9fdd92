import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { chineseMessageFor } from '../../common/http/chinese-messages';
import { fieldErrorsOf } from '../../common/http/validate';
import { ClaimInputSchema } from '../../domain/claim';

const ROOT = join(__dirname, '..', '..');
/** Where the schemas staff and partners are validated against live. */
const SCHEMA_DIRS = ['domain', 'api/contracts', 'api/auth', 'common/partners'];
const files = SCHEMA_DIRS.flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f)),
);
/** A validation message written as a literal: `.regex(…, 'msg')`, `.min(n, 'msg')`, `message: 'msg'`, … */
const LITERAL =
  /(?:\.(?:regex|min|max|length|int|positive|nonnegative|refine)\((?:[^,;']*,\s*)?|message:\s*)'([^']+ [^']+)'\s*[),}]/g;

describe('every validation message a person can read has Chinese', () => {
  test('each literal message in the schemas has a translation', () => {
    const untranslated: string[] = [];
    let scanned = 0;
    for (const file of files) {
      // configuration (products, partner keys) is validated at start-up, for operators; signatures have their own table
      if (/(product|registry|signature)\.ts$/.test(file)) continue;
      for (const [, message] of readFileSync(file, 'utf8').matchAll(LITERAL)) {
        scanned += 1;
        if (message && !chineseMessageFor(message)) untranslated.push(`${file}: ${message}`);
      }
    }
    expect(untranslated).toEqual([]);
    expect(scanned).toBeGreaterThan(30); // the scan itself still finds the schemas' messages
  });

  test("messages built from values translate too, and zod's own checks fall back to zod's Chinese", () => {
    expect(chineseMessageFor('invalid resident ID: check character does not match')).toBe('身份证号无效：校验码不符');
    expect(chineseMessageFor('must have exactly one head (found 2)')).toBe('须有且只有一名户主（现有 2 名）');
    const result = ClaimInputSchema.safeParse({ line: 'nope', householdId: 'x' });
    expect(result.success).toBe(false);
    const errors = fieldErrorsOf(result.error!);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(fieldErrorsOf(z.object({ n: z.number() }).safeParse({}).error!)).toEqual([
      { path: 'n', message: 'Invalid input: expected number, received undefined', zh: '必填项缺失' },
    ]);
  });
});
