/**
 * Finished scans become alerts: a RunAntiVirusScan that reaches Succeeded with detections in its
 * result gets one alert per detection. The change is seen once, in the process that recorded the
 * finish; the alert store's dedupe key (action + path) makes a repeated change harmless.
 */
import type { AlertService } from '../alerts/alert-service.js';
import type { ActionChangeSource } from '../ports/action-events.js';

export function subscribeScanAlerts(source: ActionChangeSource, alerts: Pick<AlertService, 'fromScanAction'>, onError: (err: unknown, actionId: string) => void): () => void {
  return source.subscribe((change) => {
    const a = change.action;
    if (change.kind !== 'changed' || a.type !== 'RunAntiVirusScan' || a.status !== 'Succeeded') return;
    alerts.fromScanAction(a).catch((err: unknown) => onError(err, a.id));
  });
}
