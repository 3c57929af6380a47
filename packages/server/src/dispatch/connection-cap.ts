/**
 * One cap on the connections a device holds, whatever the transport: WebSocket and
 * long-poll sessions count together, at most MAX_CONNECTIONS_PER_DEVICE. A newer connection closes
 * the device's oldest, because a reconnecting agent must win over its own half-dead connection
 * (which the ping or the idle sweep would only notice much later); so a stolen or looping
 * credential cannot pile up sockets or poll sessions, each of which costs memory and fan-out.
 *
 * Enforced in one place: both channels attach and detach through `capConnectionsPerDevice(hub)`.
 */
import type { AgentChannelHandler, AgentConnection } from './agent-channel.js';

/** An agent needs one; the second covers a reconnect that overlaps the connection it replaces. */
export const MAX_CONNECTIONS_PER_DEVICE = 2;

/** The hub as the channels see it, with the per-device cap applied on attach. */
export function capConnectionsPerDevice(hub: AgentChannelHandler, max = MAX_CONNECTIONS_PER_DEVICE): AgentChannelHandler {
  const open = new DeviceConnections<AgentConnection>(max);
  return {
    attach(conn) {
      hub.attach(conn);
      open.add(conn.device.machineId, conn);
    },
    detach(conn) {
      open.remove(conn.device.machineId, conn);
      hub.detach(conn);
    },
    handle: (conn, method, params) => hub.handle(conn, method, params),
  };
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
