import { Writable } from 'node:stream';
import { createLogger } from '../../common/logger';

function captureLogs(): { lines: () => Record<string, unknown>[]; raw: () => string; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return {
    stream,
    raw: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  test('when an object carries personal data under known keys, then those values are redacted at any depth', () => {
    const out = captureLogs();
    const logger = createLogger({ level: 'info', destination: out.stream });
    logger.info(
      { household: { head: { name: '张三明', idNumber: '11010519491231002X' } }, cardNumber: '6217000010001234567' },
      'x',
    );
    const raw = out.raw();
    expect(raw).not.toContain('张三明');
    expect(raw).not.toContain('11010519491231002X');
    expect(raw).not.toContain('6217000010001234567');
    expect(out.lines()[0]).toMatchObject({ cardNumber: '[redacted]', household: { head: { idNumber: '[redacted]' } } });
  });

  test('when a message string contains an ID or card number, then only its last 4 characters survive', () => {
    const out = captureLogs();
    const logger = createLogger({ level: 'info', destination: out.stream });
    logger.info('payout to card 6217000010001234567 for 11010519491231002X');
    expect(out.lines()[0]?.msg).toBe('payout to card ***************4567 for **************002X');
  });
});
