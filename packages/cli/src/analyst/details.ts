/**
 * Detail views (`actions get`): every field of the entity, one `name: value` line each, so nothing
 * the server said is hidden behind the one-line summary. Nested values are indented below their name.
 */
import type { MachineAction } from '@cordon/protocol';
import { printLine } from './output.js';
import { statusPainter, stdoutPaint, type StatusPainter } from './colour.js';

/** The lines of an action's detail view, in the entity's own property order. */
export function actionDetailLines(action: MachineAction & { '@odata.context'?: string }, paint: StatusPainter = statusPainter(false)): string[] {
  const lines: string[] = [];
  const width = Math.max(...Object.keys(action).map((k) => k.length)) + 2;
  for (const [key, value] of Object.entries(action)) {
    if (key === '@odata.context') continue;
    if (key === 'commands' && Array.isArray(value)) {
      lines.push(`${`${key}:`.padEnd(width)}${value.length === 0 ? '(none)' : ''}`);
      for (const entry of action.commands) {
        const params = entry.command.params.map((p) => `${p.key}=${p.value}`).join(' ');
        const when = entry.endTime ? ` (ended ${entry.endTime})` : entry.startTime ? ` (started ${entry.startTime})` : '';
        lines.push(`  [${entry.index}] ${entry.command.type}${params ? ` ${params}` : ''}: ${paint.word(entry.commandStatus)}${when}`);
        for (const error of entry.errors) lines.push(`      error: ${error}`);
      }
      continue;
    }
    if (value !== null && typeof value === 'object') {
      lines.push(`${key}:`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) lines.push(`  ${k}: ${scalar(v)}`);
      continue;
    }
    lines.push(`${`${key}:`.padEnd(width)}${key === 'status' ? paint.word(scalar(value)) : scalar(value)}`);
  }
  return lines;
}

export function printActionDetails(action: MachineAction): void {
  for (const line of actionDetailLines(action, stdoutPaint())) printLine(line);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
