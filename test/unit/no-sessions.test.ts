import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['api', 'bench', 'common', 'db', 'domain', 'scripts', 'sim', 'workers', 'workflows'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

/**
 * Neither FerretDB on DocumentDB nor a standalone MongoDB has transactions (DocumentDB applies the writes, then fails
 * the commit) or change streams: atomic single-document updates and unique indexes carry consistency. The end-to-end
 * test watches the wire for them; this one keeps them out of the source.
 */
describe('the code never opens a session, a transaction or a change stream', () => {
  test('when the source is searched, then no call to startSession, withTransaction, startTransaction or watch is found', () => {
    const offenders = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir))).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(ROOT, file)}:${i + 1}` }))
        .filter(({ line }) => /\.(startSession|withTransaction|startTransaction|watch)\(/.test(line))
        .map(({ at }) => at),
    );
    expect(offenders).toEqual([]);
  });
});
