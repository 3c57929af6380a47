import type { ActionStatus } from '@cordon/protocol';

export function StatusBadge({ status }: { status: ActionStatus | string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status}</span>;
}

export function HealthBadge({ health }: { health: string }) {
  return <span className={`badge health-${health.toLowerCase()}`}>{health}</span>;
}
