/**
 * The devices list as CSV (RFC 4180: comma-separated, CRLF, fields with commas, quotes or line
 * breaks quoted). Hand-written because it is twenty lines and a CSV library would outweigh them.
 * Cells that a spreadsheet would run as a formula (=, +, -, @) get a leading apostrophe, since
 * device names and tags come from agents and people.
 */
import type { Machine } from '@cordon/protocol';
import { labelOf } from './labels.js';
import { csvField } from './download.js';

const COLUMNS: [header: string, value: (m: Machine) => string][] = [
  ['Device name', (m) => m.computerDnsName],
  ['Device id', (m) => m.id],
  ['OS', (m) => `${labelOf('osPlatform', m.osPlatform)} ${m.osVersion ?? ''}`.trim()],
  ['IP address', (m) => m.lastIpAddress ?? ''],
  ['Health', (m) => labelOf('health', m.healthStatus)],
  ['Isolation', (m) => labelOf('isolation', m.isolationState)],
  ['App execution', (m) => (m.isRestricted ? 'Restricted' : 'Not restricted')],
  ['Tags', (m) => m.machineTags.join('; ')],
  ['Last seen (UTC)', (m) => m.lastSeen ?? ''],
];

export function csvCell(value: string): string {
  return csvField(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

export function devicesCsv(machines: readonly Machine[]): string {
  const lines = [COLUMNS.map(([h]) => csvCell(h)).join(','), ...machines.map((m) => COLUMNS.map(([, v]) => csvCell(v(m))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
