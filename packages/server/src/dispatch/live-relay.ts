/**
 * The hub's LiveConsoleRelay over the session service: a device's live/output and live/done, and
 * its disconnect. Output or an end for a session the server no longer has is acknowledged and
 * dropped (the protocol answers `{ ok: true }` for it), so a device never retries it.
 */
import { isDomainError, type LiveSessionService } from '@cordon/core';
import type { HubLogger, LiveConsoleRelay } from './dispatch-hub.js';

export function liveConsoleRelay(sessions: LiveSessionService, log: HubLogger): LiveConsoleRelay {
  const acknowledgedIfGone = async (work: Promise<void>) => {
    try {
      await work;
    } catch (err) {
      if (!isDomainError(err) || err.code !== 'ResourceNotFound') throw err;
    }
  };
  return {
    output: (device, params) => acknowledgedIfGone(sessions.recordOutput(device, params)),
    done: (device, params) => acknowledgedIfGone(sessions.recordDone(device, params)),
    disconnected: (device) => {
      // During a shutdown the store may already be closed; the session is then closed at the
      // device's next hello (connected, below), so this is worth a warning, not an error.
      sessions.deviceGone(device.tenantId, device.machineId, 'DeviceDisconnected').catch((err: unknown) => log.warn({ err, machineId: device.machineId }, 'could not close the console session of a disconnected device now; it is closed when the device next connects'));
    },
    connected: async (device) => {
      await sessions.deviceGone(device.tenantId, device.machineId, 'DeviceDisconnected');
    },
  };
}
