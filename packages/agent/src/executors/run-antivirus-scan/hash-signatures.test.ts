import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildHashIndex, CLAMAV_MAX_FILE_SIZE, isClamAvContainer, parseHashSignature, type ParsedHashSignature } from './hash-signatures.js';

const DATA = Buffer.from('abcdefgh');
const md5 = createHash('md5').update(DATA).digest('hex');
const sha1 = createHash('sha1').update(DATA).digest('hex');
const sha256 = createHash('sha256').update(DATA).digest('hex');
const all = { md5, sha1, sha256 };
const index = (...lines: string[]) => buildHashIndex(lines.map((l) => parseHashSignature(l)).filter((s): s is ParsedHashSignature => s !== undefined));

describe('parseHashSignature', () => {
  it('should read md5, sha1 and sha256 lines, hex in any case', () => {
    expect(parseHashSignature(` ${md5}:8:T.Md5 `)).toEqual({ line: `${md5}:8:T.Md5`, algorithm: 'md5', hash: md5, size: 8, name: 'T.Md5' });
    expect(parseHashSignature(`${sha1.toUpperCase()}:8:T.Sha1`)).toMatchObject({ algorithm: 'sha1', hash: sha1 });
    expect(parseHashSignature(`${sha256}:8:T.Sha256:51`)).toMatchObject({ algorithm: 'sha256', size: 8, name: 'T.Sha256' });
  });

  it('should refuse what ClamAV refuses: zero size, wildcard below FLEVEL 73, odd lengths, bad names', () => {
    expect(parseHashSignature(`${md5}:0:T.Zero`)).toBeUndefined();
    expect(parseHashSignature(`${sha1}:*:T.Wild`)).toBeUndefined();
    expect(parseHashSignature(`${sha1}:*:T.Wild:72`)).toBeUndefined();
    expect(parseHashSignature(`${sha1}:*:T.Wild:73`)).toMatchObject({ size: '*' });
    expect(parseHashSignature(`${md5.slice(1)}:8:T.Short`)).toBeUndefined();
    expect(parseHashSignature(`${md5}:8:bad name`)).toBeUndefined();
    expect(parseHashSignature(`${md5}:-1:T.Neg`)).toBeUndefined();
  });
});

describe('buildHashIndex', () => {
  it('should match each algorithm and report the name as ClamAV does', () => {
    expect(index(`${md5}:8:T.Md5`).match(8, all)).toBe('T.Md5.UNOFFICIAL');
    expect(index(`${sha1}:8:T.Sha1`).match(8, all)).toBe('T.Sha1.UNOFFICIAL');
    expect(index(`${sha256.toUpperCase()}:8:T.Sha256`).match(8, all)).toBe('T.Sha256.UNOFFICIAL');
  });

  it('should not match when the size differs', () => {
    const idx = index(`${sha256}:9:T.Sha256`, `${md5}:7:T.Md5`);
    expect(idx.match(8, all)).toBeUndefined();
    expect(idx.wantSize(8)).toBe(false);
    expect(idx.wantSize(9)).toBe(true);
  });

  it('should match a wildcard size and prefer an exact size for the same hash', () => {
    expect(index(`${sha1}:*:T.Any:73`).match(8, all)).toBe('T.Any.UNOFFICIAL');
    expect(index(`${sha1}:*:T.Any:73`, `${sha1}:8:T.Exact`).match(8, all)).toBe('T.Exact.UNOFFICIAL');
    expect(index(`${sha1}:*:T.Any:73`).wantSize(123_456)).toBe(true);
  });

  it('should report the first match in ClamAV order: md5, sha1, sha256', () => {
    const idx = index(`${sha256}:8:T.Sha256`, `${sha1}:8:T.Sha1`, `${md5}:8:T.Md5`);
    expect(idx.algorithms).toEqual(['md5', 'sha1', 'sha256']);
    expect(idx.match(8, all)).toBe('T.Md5.UNOFFICIAL');
    expect(index(`${sha256}:8:T.Sha256`, `${sha1}:8:T.Sha1`).match(8, all)).toBe('T.Sha1.UNOFFICIAL');
  });

  it('should compute only the algorithms the set uses', () => {
    expect(index(`${sha256}:8:T.Sha256`).algorithms).toEqual(['sha256']);
  });

  it('should never match files ClamAV does not scan (under 6 bytes, over --max-filesize)', () => {
    const tiny = Buffer.from('abcde');
    const h = createHash('sha256').update(tiny).digest('hex');
    const idx = index(`${h}:5:T.Tiny`, `${sha256}:*:T.Any:73`);
    expect(idx.match(5, { sha256: h })).toBeUndefined();
    expect(idx.wantSize(5)).toBe(false);
    expect(idx.wantSize(CLAMAV_MAX_FILE_SIZE + 1)).toBe(false);
    expect(idx.wantSize(CLAMAV_MAX_FILE_SIZE)).toBe(true);
  });
});

describe('isClamAvContainer', () => {
  const tar = Buffer.alloc(512);
  tar.write('ustar', 257, 'latin1');
  it.each([
    ['zip', Buffer.from('504b030414000000', 'hex'), true],
    ['gzip', Buffer.from('1f8b0800', 'hex'), true],
    ['xz', Buffer.from('fd377a585a000004', 'hex'), true],
    ['PE', Buffer.from('MZ\x90\x00'), true],
    ['OLE2', Buffer.from('d0cf11e0a1b11ae1', 'hex'), true],
    ['PDF after a preamble', Buffer.concat([Buffer.alloc(100, 0x20), Buffer.from('%PDF-1.7')]), true],
    ['tar', tar, true],
    ['deb (ar)', Buffer.from('!<arch>\ndebian'), true],
    ['ELF', Buffer.from('7f454c4602010100', 'hex'), false],
    ['text', Buffer.from('#!/bin/sh\necho hi\n'), false],
    ['empty', Buffer.alloc(0), false],
  ])('%s', (_name, head, expected) => {
    expect(isClamAvContainer(head)).toBe(expected);
  });
});
