import type { LiveCommandFields } from '@cordon/protocol';

/** What the session service sends a device (the server signs `command` with the action key). */
export type LiveDeviceMessage =
  | { kind: 'command'; fields: LiveCommandFields }
  | { kind: 'cancel'; sessionId: string; commandId: number }
  | { kind: 'close'; sessionId: string };

/**
 * How console sessions reach devices and wake their readers, whichever server process holds the
 * device's connection or the client's event stream (the server implements it over the dispatch
 * hub and the cross-process notifier).
 */
export interface LiveConsoleLink {
  /** Whether the device holds a connection to a server process, as far as this one can tell. */
  isConnected(tenantId: string, machineId: string): Promise<boolean>;
  /** Sends to the device's connections, on this process or another; never throws for an absent device. */
  send(tenantId: string, machineId: string, message: LiveDeviceMessage): Promise<void>;
  /** Tells every process's readers of the session that events up to `seq` are stored. */
  announce(tenantId: string, sessionId: string, seq: number): void;
  /** Resolves true at the next announce of the session, false after `timeoutMs` without one. */
  nextAnnounce(sessionId: string, timeoutMs: number): Promise<boolean>;
}
