/**
 * Per-device limits of the agent WebSocket channel (issue 7), kept apart from the channel itself:
 * - connections per device: a device holds at most `maxConnectionsPerDevice` sockets; a newer one
 *   closes the oldest (a reconnecting agent must win over its own half-dead socket, which the ping
 *   would otherwise only notice 30 s later), so a stolen or looping credential cannot pile up sockets;
 * - message rate: a token bucket per connection (`messagesPerSecond`, bursts up to `burst`); a
 *   device over it is cut off with 1008 (policy violation) and reconnects with backoff.
 * Message size is the `ws` server's `maxPayload` (websocket-channel.ts).
 */

export interface WebSocketLimits {
  maxConnectionsPerDevice: number;
  messagesPerSecond: number;
  burst: number;
}

/** Agents send a heartbeat every 30 s and a few messages per action: these leave ample headroom. */
export const DEFAULT_WEBSOCKET_LIMITS: Readonly<WebSocketLimits> = { maxConnectionsPerDevice: 2, messagesPerSecond: 20, burst: 200 };

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

/** Open connections by device; `add` closes the oldest ones beyond the cap. */
export class DeviceConnections<C extends { close(reason: string): void }> {
  readonly #byDevice = new Map<string, C[]>();
  constructor(private readonly max: number) {}

  add(machineId: string, conn: C): void {
    const list = this.#byDevice.get(machineId) ?? [];
    list.push(conn);
    this.#byDevice.set(machineId, list);
    while (list.length > this.max) list.shift()!.close('replaced by a newer connection of this device');
  }

  remove(machineId: string, conn: C): void {
    const list = this.#byDevice.get(machineId);
    if (!list) return;
    const i = list.indexOf(conn);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#byDevice.delete(machineId);
  }

  count(machineId: string): number {
    return this.#byDevice.get(machineId)?.length ?? 0;
  }
}
