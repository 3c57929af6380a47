/** Fixed-window request counters shared by every server process on the same database. */
export interface RateLimitStore {
  /**
   * Adds one hit to `key` in the window starting at `windowStart` (epoch ms) and returns the new
   * count. Atomic (an upsert), so several processes count together.
   */
  hit(key: string, windowStart: number): Promise<number>;
  /** Deletes windows that ended before `before` (epoch ms). */
  prune(before: number): Promise<void>;
}
