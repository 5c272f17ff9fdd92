/**
 * Failed sign-in attempts per client address in a sliding window, in this process's memory: a guesser spread over
 * many accounts from one address is slowed here, one account guessed from many addresses is locked by the account's
 * own failure count (in the database, shared by every API process). Successful sign-ins are not counted, so a
 * township office whose staff share one address signs in freely in the morning.
 */
export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** The seconds to wait when the address has failed `limit` times within the window, else undefined. */
  retryAfter(key: string, now = Date.now()): number | undefined {
    const recent = (this.attempts.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.attempts.set(key, recent);
    if (recent.length < this.limit) return undefined;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
  }

  /** Counts a failed attempt of the address. */
  fail(key: string, now = Date.now()): void {
    const recent = (this.attempts.get(key) ?? []).filter((t) => t > now - this.windowMs);
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [key, times] of this.attempts) if (!times.some((t) => t > now - this.windowMs)) this.attempts.delete(key);
  }
}
