import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortBook } from '../../scripts/stack/ports';
import { restartDelayMs, terminalLine } from '../../scripts/stack/supervisor';

describe("the supervisor's terminal, backoff and ports", () => {
  test('the terminal shows warnings, errors and anything that is not a log line; request logs stay in the file', () => {
    const info = JSON.stringify({ level: 'info', msg: 'request completed', req: { url: '/claims' } });
    const warn = JSON.stringify({ level: 'warn', msg: 'the database is not available yet; retrying', reason: 'ECONNREFUSED' });
    const error = JSON.stringify({ level: 50, msg: 'unhandled error', err: { message: 'boom' } });
    expect(terminalLine('api', info)).toBeUndefined();
    expect(terminalLine('api', warn)).toBe('[api] warn: the database is not available yet; retrying (ECONNREFUSED)');
    expect(terminalLine('api', error)).toBe('[api] error: unhandled error (boom)');
    expect(terminalLine('worker', 'TypeError: x is undefined')).toBe('[worker] TypeError: x is undefined');
    expect(terminalLine('worker', '{"not":"a log line"}')).toBe('[worker] {"not":"a log line"}');
    expect(terminalLine('worker', '   ')).toBeUndefined();
  });

  test('restarts back off 1 s, 2 s, 4 s … and never wait more than 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(restartDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  test('a stack keeps its ports across restarts, and replaces one that something else took', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fangpin-ports-'));
    const port = await new PortBook(dir).take('api');
    expect(await new PortBook(dir).take('api')).toBe(port); // a new start reads the same book
    const squatter = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => squatter.once('listening', resolve));
    try {
      const replaced = await new PortBook(dir).take('api');
      expect(replaced).not.toBe(port);
      expect(await new PortBook(dir).take('api')).toBe(replaced);
    } finally {
      squatter.close();
    }
  });
});
