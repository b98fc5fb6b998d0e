/**
 * Failed authentications per client address in a sliding window, in process memory (one
 * gateway instance; behind several, each keeps its own window). Past the limit, an address's
 * requests with credentials answer RATE_LIMITED until its oldest failure leaves the window,
 * so guessing tokens or JWT secrets stays slow. Memory is bounded: at most `limit` timestamps
 * per address and `maxAddresses` addresses (least recently failed dropped first).
 */
export interface AuthFailureLimiterOptions {
  /** Failures allowed within the window; 0 disables the limiter. */
  limit: number;
  windowMs: number;
  maxAddresses?: number;
  now?: () => number;
}

export class AuthFailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxAddresses: number;
  private readonly now: () => number;

  constructor(private readonly options: AuthFailureLimiterOptions) {
    this.maxAddresses = options.maxAddresses ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds until `address` may try again, or 0 when it is not limited. */
  retryAfterSeconds(address: string): number {
    if (this.options.limit <= 0) return 0;
    const recent = this.recent(address);
    if (recent.length < this.options.limit) return 0;
    return Math.max(1, Math.ceil((recent[0] + this.options.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    if (this.options.limit <= 0) return;
    const recent = this.recent(address);
    recent.push(this.now());
    if (recent.length > this.options.limit) recent.shift();
    // Re-inserting keeps the Map in least-recently-failed order for eviction.
    this.failures.delete(address);
    this.failures.set(address, recent);
    if (this.failures.size > this.maxAddresses) this.failures.delete(this.failures.keys().next().value as string);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.options.windowMs;
    const list = this.failures.get(address) ?? [];
    while (list.length && list[0] <= since) list.shift();
    if (!list.length) this.failures.delete(address);
    return list;
  }
}
