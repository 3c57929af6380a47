/** Display helpers. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
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
