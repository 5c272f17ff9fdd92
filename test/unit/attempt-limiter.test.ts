import { AttemptLimiter } from '../../api/auth/attempt-limiter';

describe('sign-in failures per client address', () => {
  test('an address is refused after its failures reach the limit, and again allowed once they leave the window', () => {
    const limiter = new AttemptLimiter(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('10.0.0.1', t0 + i)).toBeUndefined();
      limiter.fail('10.0.0.1', t0 + i);
    }
    expect(limiter.retryAfter('10.0.0.1', t0 + 10)).toBe(60);
    expect(limiter.retryAfter('10.0.0.2', t0 + 10)).toBeUndefined(); // another address is not slowed
    expect(limiter.retryAfter('10.0.0.1', t0 + 60_001)).toBeUndefined();
  });

  test('sign-ins that succeed are not counted: an office behind one address signs in freely', () => {
    const limiter = new AttemptLimiter(3, 60_000);
    for (let i = 0; i < 100; i++) expect(limiter.retryAfter('10.0.0.1', 1_000 + i)).toBeUndefined();
  });
});
