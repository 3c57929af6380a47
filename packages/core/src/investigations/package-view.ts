/**
 * A read-only, parsed view of an investigation package (the zip the CollectInvestigationPackage
 * executor builds): files by path, CSV rows as records keyed by header, and the `==> path <==`
 * sections the agent's file-dump collectors write. Pure: the server unzips, this only parses, so
 * every rule runs in tests over a handful of strings.
 */

export interface PackageSection {
  /** The source path on the device (the text between `==> ` and ` <==`). */
  source: string;
  body: string;
}

export interface PackageIndicators {
  /** Lower-case SHA-256 hashes the tenant marked known-bad. */
  sha256: ReadonlySet<string>;
}

export interface PackageView {
  /** Every file path in the package, forward slashes, sorted. */
  paths(): readonly string[];
  /** UTF-8 text of a file, or undefined when the package has no such file. */
  text(path: string): string | undefined;
  /** Rows of a CSV file keyed by its header; [] when the file is missing or empty. */
  csv(path: string): readonly Readonly<Record<string, string>>[];
  /** The sections of a file-dump text file; [] when missing or when it holds the "none found" line. */
  sections(path: string): readonly PackageSection[];
  /** The tenant's indicators, so hash rules stay pure too. */
  readonly indicators: PackageIndicators;
}

/**
 * RFC 4180 reader (quoted fields with doubled quotes, CRLF or LF). Hand-written: core has no
 * dependencies but protocol, and the agent's writer (csv.ts) is the only producer.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') i++;
    if (c === '\n' || c === '\r') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

const SECTION_HEADER = /^==> (.*) <==$/;

export function parseSections(text: string): PackageSection[] {
  const out: PackageSection[] = [];
  let current: { source: string; lines: string[] } | undefined;
  const flush = () => { if (current) out.push({ source: current.source, body: current.lines.join('\n').replace(/\n+$/, '') }); };
  for (const line of text.split('\n')) {
    const m = SECTION_HEADER.exec(line);
    if (m) { flush(); current = { source: m[1]!, lines: [] }; continue; }
    current?.lines.push(line);
  }
  flush();
  return out;
}

export interface PackageViewInput {
  /** Path inside the zip -> UTF-8 text. */
  files: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  indicators?: { sha256?: Iterable<string> };
}

export function createPackageView(input: PackageViewInput): PackageView {
  const files = new Map<string, string>(input.files instanceof Map ? input.files : Object.entries(input.files));
  const csvCache = new Map<string, Record<string, string>[]>();
  const sha256 = new Set([...(input.indicators?.sha256 ?? [])].map((h) => h.toLowerCase()));
  return {
    paths: () => [...files.keys()].sort(),
    text: (path) => files.get(path),
    csv(path) {
      let rows = csvCache.get(path);
      if (!rows) {
        const [header, ...body] = parseCsv(files.get(path) ?? '');
        rows = header ? body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) : [];
        csvCache.set(path, rows);
      }
      return rows;
    },
    sections: (path) => parseSections(files.get(path) ?? ''),
    indicators: { sha256 },
  };
}
