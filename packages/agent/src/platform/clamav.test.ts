import { describe, expect, it } from 'vitest';
import { clamscanArgs, parseClamscanOutput } from './clamav.js';

describe('clamscanArgs', () => {
  it('should build the exact argv under nice/ionice with escaped excludes', () => {
    expect(clamscanArgs({ targets: ['/tmp', '/home/a b'], databaseDirs: ['/s/sigs'], excludePaths: ['/var/lib/cordon.q'] })).toEqual([
      '-n', '19', 'ionice', '-c', '3', 'clamscan',
      '--recursive', '--cross-fs=no', '--infected', '--stdout', '--follow-dir-symlinks=0', '--follow-file-symlinks=0',
      '--database=/s/sigs',
      '--exclude-dir=^/var/lib/cordon\\.q(/|$)', '--exclude=^/var/lib/cordon\\.q(/|$)',
      '--', '/tmp', '/home/a b',
    ]);
  });
});

describe('parseClamscanOutput', () => {
  it('should read detections, errors and the summary', () => {
    const text = [
      '/tmp/x/evil: Cordon.Test.UNOFFICIAL FOUND',
      '/tmp/x/a: b: YARA.rule_1.UNOFFICIAL FOUND',
      '/tmp/x/locked: Can\'t open file or directory ERROR',
      '',
      '----------- SCAN SUMMARY -----------',
      'Known viruses: 2',
      'Scanned files: 12',
      'Infected files: 2',
      'Data scanned: 1.50 MB',
      'Data read: 2.00 MB (ratio 0.75:1)',
    ].join('\n');
    expect(parseClamscanOutput(text)).toEqual({
      scannedFiles: 12,
      scannedBytes: 2097152,
      detections: [
        { path: '/tmp/x/evil', signature: 'Cordon.Test.UNOFFICIAL' },
        { path: '/tmp/x/a: b', signature: 'YARA.rule_1.UNOFFICIAL' },
      ],
      errors: ["/tmp/x/locked: Can't open file or directory ERROR"],
      summary: true,
    });
  });
});
