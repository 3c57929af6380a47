/**
 * ClamAV hash signatures (.hdb MD5, .hsb SHA-1/SHA-256: `hash:size:Name[:minFlevel]`) parsed and
 * matched by the agent itself.
 *
 * Why not clamscan for these: measured on a 2,000-file / 200 MB corpus with 1,001 SHA-256 lines,
 * clamscan spent ~3.8 s of CPU where sha1sum spent ~0.2 s. Signature loading is not it (one file
 * takes 24 ms end to end); per file, libclamav runs its raw-content matchers (cli_bm_scanbuff +
 * cli_ac_scanbuff, ~48% of samples under perf) over every byte for file-type and embedded-object
 * detection whatever --scan-*=no options say, makes and removes a temp directory, then hashes.
 * clamd (MULTISCAN) would only spread that same per-byte cost over the cores, still several times
 * the floor, and needs a daemon we cannot pause per scan. So when the effective signature set is
 * hash-only (tenant .hdb/.hsb, no YARA, no system database), hashing the files is the whole job.
 *
 * Semantics kept from ClamAV 1.4 (checked against clamscan on the same database):
 *   - hex is case-insensitive; the size must match exactly, or be `*` (only with minFlevel >= 73;
 *     ClamAV refuses the whole database otherwise, so such lines are dropped);
 *   - size 0 is refused by ClamAV ("Invalid value for the size field"): dropped too;
 *   - files under 6 bytes are never matched, nor files over clamscan's --max-filesize (100 MB);
 *   - first match wins in ClamAV's order: MD5, then SHA-1, then SHA-256;
 *   - the name is reported with `.UNOFFICIAL` appended (tenant databases are not signed).
 * What ClamAV does beyond the file's own hash is match the hashes of what it unpacks (archive
 * members, PE/OLE2/PDF contents); `isClamAvContainer` recognises those formats so the executor
 * hands exactly those files to clamscan, keeping detections identical for them.
 */
import type { HashAlgorithm } from '../../platform/types.js';

/** clamscan's default --max-filesize: larger files are skipped and reported clean. */
export const CLAMAV_MAX_FILE_SIZE = 100 * 1024 * 1024;
/** libclamav returns clean for anything of 5 bytes or fewer before any matcher runs. */
export const CLAMAV_MIN_FILE_SIZE = 6;

const LINE = /^([0-9a-fA-F]+):(\d+|\*):([A-Za-z0-9._-]+)(?::(\d+))?$/;
const ALG_BY_LENGTH: Record<number, HashAlgorithm> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
/** ClamAV's reporting order when several hash signatures match one file. */
const ORDER: readonly HashAlgorithm[] = ['md5', 'sha1', 'sha256'];

export interface ParsedHashSignature {
  /** The line as ClamAV gets it (trimmed). */
  line: string;
  algorithm: HashAlgorithm;
  hash: string;
  size: number | '*';
  name: string;
}

/** Parses one .hdb/.hsb line; undefined when ClamAV would refuse it. */
export function parseHashSignature(raw: string): ParsedHashSignature | undefined {
  const line = raw.trim();
  const m = LINE.exec(line);
  if (!m) return undefined;
  const algorithm = ALG_BY_LENGTH[m[1]!.length];
  if (!algorithm) return undefined;
  const size = m[2] === '*' ? '*' : Number(m[2]);
  if (size === 0 || (typeof size === 'number' && !Number.isSafeInteger(size))) return undefined;
  if (size === '*' && Number(m[4] ?? 0) < 73) return undefined;
  return { line, algorithm, hash: m[1]!.toLowerCase(), size, name: m[3]! };
}

export interface HashIndex {
  /** Algorithms that occur in the set (only those are computed). */
  algorithms: HashAlgorithm[];
  /** Whether a file of this size can match anything (others need not be hashed). */
  wantSize(size: number): boolean;
  /** The same as data (for the hashing worker thread). */
  sizes: { exact: number[]; any: boolean; min: number; max: number };
  /** The ClamAV-style name (`Name.UNOFFICIAL`) of the first match, or undefined. */
  match(size: number, hashes: Partial<Record<HashAlgorithm, string>>): string | undefined;
}

export function buildHashIndex(sigs: readonly ParsedHashSignature[]): HashIndex {
  const byKey = new Map<string, ParsedHashSignature[]>();
  const sizes = new Set<number>();
  let wildcard = false;
  for (const s of sigs) {
    const key = `${s.algorithm}:${s.hash}`;
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
    if (s.size === '*') wildcard = true;
    else sizes.add(s.size);
  }
  const algorithms = ORDER.filter((a) => sigs.some((s) => s.algorithm === a));
  const inRange = (size: number) => size >= CLAMAV_MIN_FILE_SIZE && size <= CLAMAV_MAX_FILE_SIZE;
  return {
    algorithms,
    wantSize: (size) => inRange(size) && (wildcard || sizes.has(size)),
    sizes: { exact: [...sizes], any: wildcard, min: CLAMAV_MIN_FILE_SIZE, max: CLAMAV_MAX_FILE_SIZE },
    match(size, hashes) {
      if (!inRange(size)) return undefined;
      for (const a of algorithms) {
        const h = hashes[a];
        if (!h) continue;
        const cands = byKey.get(`${a}:${h}`) ?? [];
        const hit = cands.find((s) => s.size === size) ?? cands.find((s) => s.size === '*');
        if (hit) return `${hit.name}.UNOFFICIAL`;
      }
      return undefined;
    },
  };
}

/**
 * Formats libclamav unpacks and whose contents it matches hashes against: archives and compressed
 * streams, OLE2 (Office), PDF, PE, RTF, SWF, and ar/cpio/tar containers (deb and rpm payloads).
 * `head` is the file's first bytes (1024 are enough: PDF's marker may sit anywhere in the first KiB).
 */
export function isClamAvContainer(head: Buffer): boolean {
  const starts = (hex: string) => head.length >= hex.length / 2 && head.subarray(0, hex.length / 2).equals(Buffer.from(hex, 'hex'));
  const ascii = (s: string, at = 0) => head.length >= at + s.length && head.toString('latin1', at, at + s.length) === s;
  return (
    starts('504b0304') || starts('504b0506') || starts('504b0708') || // zip, jar, docx, apk
    starts('1f8b') || ascii('BZh') || starts('fd377a585a00') || starts('377abcaf271c') || // gzip, bzip2, xz, 7z
    ascii('Rar!') || ascii('MSCF') || ascii('ISc(') || starts('d0cf11e0a1b11ae1') || // rar, cab, InstallShield, OLE2
    ascii('MZ') || ascii('{\\rt') || ascii('FWS') || ascii('CWS') || ascii('ZWS') || // PE, RTF, SWF
    ascii('!<arch>') || ascii('070701') || ascii('070702') || ascii('070707') || starts('c771') || // ar (deb), cpio
    ascii('xar!') || ascii('ustar', 257) || starts('edabeedb') || starts('5d0000') || // xar, tar, rpm, lzma
    head.subarray(0, 1024).includes('%PDF-')
  );
}
