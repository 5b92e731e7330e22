/**
 * The per-account call rate: a token bucket per access key.
 *
 * @module
 */

/**
 * A token bucket per key: `rate` calls per second, with a burst of `max(1, rate)` calls. A call
 * that finds the bucket empty is refused and takes nothing, so a client that retries after the
 * interval gets through.
 *
 * @example
 * let t = 0;
 * const limiter = new RateLimiter(1, () => t);
 * limiter.take("AKIDSESLOCAL");
 * //=> true
 * limiter.take("AKIDSESLOCAL");
 * //=> false
 * t = 1000;
 * limiter.take("AKIDSESLOCAL");
 * //=> true
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;

  /**
   * @param rate - calls per second; 0 or less (or Infinity) for no limit.
   * @param now - a monotonic clock in milliseconds (default `performance.now`).
   */
  constructor(
    readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burst = Math.max(1, rate);
  }

  /**
   * Takes one call from `key`'s bucket: true when the call may go ahead.
   *
   * @example
   * new RateLimiter(0).take("any");
   * //=> true
   */
  take(key: string): boolean {
    if (!(this.rate > 0) || this.rate === Infinity) return true;
    const t = this.now();
    const b = this.buckets.get(key);
    if (b === undefined) {
      this.buckets.set(key, { tokens: this.burst - 1, at: t });
      return true;
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
