/** Local, real filesystems from /proc/self/mounts: what a Full scan covers and the guard marks. */

/** Kernel pseudo filesystems (nothing on them is a file malware can be stored in) and network ones. */
export const SKIPPED_FS_TYPES = new Set([
  'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'devtmpfs', 'mqueue', 'debugfs', 'tracefs', 'securityfs',
  'pstore', 'bpf', 'configfs', 'fusectl', 'hugetlbfs', 'autofs', 'binfmt_misc', 'nsfs', 'efivarfs',
  'rpc_pipefs', 'nfsd', 'selinuxfs', 'ramfs', 'nfs', 'nfs4', 'cifs', 'smb3', 'sshfs', 'fuse.sshfs', 'ceph',
  'glusterfs', '9p', 'virtiofs', 'fuse.gvfsd-fuse', 'fuse.portal',
]);

/** Mount points in /proc/self/mounts escape space, tab, newline and backslash as octal. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseLocalMounts(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const [, mountPoint, fsType] = line.split(' ');
    if (!mountPoint || !fsType || SKIPPED_FS_TYPES.has(fsType)) continue;
    seen.add(unescape(mountPoint));
  }
  return [...seen];
}
