import { describe, expect, it } from 'vitest';
import { parseLocalMounts } from './mounts.js';

describe('parseLocalMounts', () => {
  it('should keep real filesystems and drop pseudo and network ones', () => {
    const text = [
      'overlay / overlay rw 0 0',
      'proc /proc proc rw 0 0',
      'tmpfs /dev/shm tmpfs rw 0 0',
      'sysfs /sys sysfs rw 0 0',
      '/dev/sda1 /srv/my\\040data ext4 rw 0 0',
      'srv:/x /mnt/nfs nfs4 rw 0 0',
      'tmpfs /tmp tmpfs rw 0 0',
    ].join('\n');
    expect(parseLocalMounts(text)).toEqual(['/', '/dev/shm', '/srv/my data', '/tmp']);
  });
});
