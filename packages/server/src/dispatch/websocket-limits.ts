/**
 * Limits of the agent WebSocket channel, kept apart from the channel itself:
 * - connections per device: shared with long-poll, see connection-cap.ts;
 * - message rate: a token bucket per connection (`messagesPerSecond`, bursts up to `burst`); a
 *   device over it is cut off with 1008 (policy violation) and reconnects with backoff.
 * Message size is the `ws` server's `maxPayload` (websocket-channel.ts).
 */

export interface WebSocketLimits {
  messagesPerSecond: number;
  burst: number;
  /**
   * Live response console messages (`live/output`, `live/done`) have a bucket of their own: a
   * console streams output in chunks every ~50 ms per running command, and a person running
   * commands back to back (or a script piping them) would exhaust the action budget within
   * seconds. They cost the server little (a session's output is capped, and a chunk for a command
   * that is not running is dropped), and the action budget stays as tight as it was.
   */
  consoleMessagesPerSecond: number;
  consoleBurst: number;
}

/** Agents send a heartbeat every 30 s and a few messages per action: these leave ample headroom. */
export const DEFAULT_WEBSOCKET_LIMITS: Readonly<WebSocketLimits> = { messagesPerSecond: 20, burst: 200, consoleMessagesPerSecond: 200, consoleBurst: 1000 };

/** True for the agent methods metered by the console bucket. */
export function isConsoleMethod(method: string): boolean {
  return method === 'live/output' || method === 'live/done';
}

/** Token bucket; `now` in ms (injectable so tests need no sleeping). */
export class MessageRateLimiter {
  #tokens: number;
  #at: number;
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = burst;
    this.#at = now();
  }

  /** True when one more message is within the limit (and counts it). */
  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
