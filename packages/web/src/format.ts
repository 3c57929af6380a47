/** Display helpers. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Compact and sortable-looking (2026-11-22 12:16:20), in the viewer's time zone.
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) {
    const code = 'code' in err ? String((err as { code: unknown }).code) : '';
    return code ? `${code}: ${String((err as { message: unknown }).message)}` : String((err as { message: unknown }).message);
  }
  return String(err);
}

/** Quotes a value for an OData string literal. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const TYPE_LABELS: Record<string, string> = {
  RunAntiVirusScan: 'Antivirus scan',
  Offboard: 'Offboard',
  LiveResponse: 'Live response',
  CollectInvestigationPackage: 'Collect investigation package',
  Isolate: 'Isolate device',
  Unisolate: 'Release from isolation',
  StopAndQuarantineFile: 'Stop and quarantine file',
  RestrictCodeExecution: 'Restrict app execution',
  UnrestrictCodeExecution: 'Remove app restrictions',
  RestoreQuarantinedFile: 'Restore quarantined file',
};
export function actionLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}
