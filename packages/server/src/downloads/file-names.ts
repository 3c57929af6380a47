/** File names offered in Content-Disposition: only `[A-Za-z0-9._-]`, so no header or path tricks. */

export function safeFileName(name: string, fallback = 'download'): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 150);
  return cleaned === '' ? fallback : cleaned;
}

/** `InvestigationPackage_<machine>_<action>.zip` (MDE names its file WDATP_Investigation_Package.zip, §4.7). */
export function packageFileName(computerDnsName: string | null, machineId: string, actionId: string): string {
  return safeFileName(`InvestigationPackage_${computerDnsName ?? machineId}_${actionId}.zip`);
}

/** RunScript: the JSON transcript; GetFile: the file's own base name. */
export function commandResultFileName(actionId: string, index: number, command: { type: string; params: { key: string; value: string }[] }): string {
  const param = (key: string) => command.params.find((p) => p.key === key)?.value ?? '';
  if (command.type === 'RunScript') return safeFileName(`LiveResponse_${actionId}_${index}_${param('ScriptName')}.json`);
  const path = param('Path');
  return safeFileName(path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1), `LiveResponse_${actionId}_${index}.bin`);
}
