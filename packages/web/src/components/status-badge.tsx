import type { ActionStatus } from '@cordon/protocol';
import { labelOf } from '../labels.js';

export function StatusBadge({ status }: { status: ActionStatus | string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{labelOf('actionStatus', status)}</span>;
}

export function HealthBadge({ health }: { health: string }) {
  return <span className={`badge health-${health.toLowerCase()}`}>{labelOf('health', health)}</span>;
}
