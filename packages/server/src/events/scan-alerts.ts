/**
 * Issue 4: turns finished scans into alerts. Subscribes to the ActionBus: a RunAntiVirusScan that
 * reaches Succeeded with detections in its result gets one alert per detection. The bus event
 * fires once, in the process that recorded the finish; the store's dedupe key (action + path)
 * makes a repeated event (a re-delivered result) harmless.
 */
import type { AlertService } from '@cordon/core';
import type { ActionBus } from './action-bus.js';

export interface ScanAlertLogger {
  error(obj: Record<string, unknown>, msg?: string): void;
}

export function subscribeScanAlerts(bus: ActionBus, alerts: AlertService, log: ScanAlertLogger): () => void {
  return bus.subscribe((event) => {
    const a = event.action;
    if (event.kind !== 'changed' || a.type !== 'RunAntiVirusScan' || a.status !== 'Succeeded') return;
    alerts.fromScanAction(a).catch((err: unknown) => log.error({ err, actionId: a.id }, 'could not create alerts from a scan result'));
  });
}
