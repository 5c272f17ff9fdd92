/**
 * Sign-in attempts per client address in a sliding window, in this process's memory: a guesser spread over many
 * accounts from one address is slowed here, one account guessed from many addresses is locked by the account's own
 * failure count (in the database, shared by every API process).
 */
export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts an attempt; returns the seconds to wait when the address is over its limit, else undefined. */
  take(key: string, now = Date.now()): number | undefined {
    const recent = (this.attempts.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.attempts.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.prune(now);
    return undefined;
  }

  private prune(now: number): void {
    for (const [key, times] of this.attempts) if (!times.some((t) => t > now - this.windowMs)) this.attempts.delete(key);
  }
}
