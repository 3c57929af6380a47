/**
 * Autoruns: the Linux places that start code at boot or login (the counterpart of MDE's ASEP
 * registry keys, mde-api.md §6). Files are dumped verbatim with a header per source; a missing
 * source gives a file saying so, as MDE does for a missing key.
 */
import type { Collector, CollectorContext } from '../collector.js';
import { homes, Sections } from './util.js';

const FOLDER = 'Autoruns';

/** A collector that dumps fixed files, whole directories, and per-home files. */
function fileDump(spec: { name: string; fileName: string; files?: string[]; dirs?: string[]; homeFiles?: string[]; homeDirs?: string[] }): Collector {
  const sources = [...(spec.files ?? []), ...(spec.dirs ?? []).map((d) => `${d}/*`), ...(spec.homeFiles ?? []).map((f) => `~/${f}`), ...(spec.homeDirs ?? []).map((d) => `~/${d}/*`)];
  return {
    name: spec.name,
    folder: FOLDER,
    fileName: spec.fileName,
    command: `read ${sources.join(', ')}`,
    async collect(ctx: CollectorContext) {
      const s = new Sections();
      for (const f of spec.files ?? []) await s.addFile(ctx, f);
      for (const d of spec.dirs ?? []) await s.addDir(ctx, d);
      for (const a of spec.homeFiles || spec.homeDirs ? await homes(ctx) : []) {
        for (const f of spec.homeFiles ?? []) await s.addFile(ctx, `${a.home}/${f}`);
        for (const d of spec.homeDirs ?? []) await s.addDir(ctx, `${a.home}/${d}`);
      }
      return { data: s.text(`No ${spec.name.toLowerCase()} found (${sources.join(', ')}).`), truncated: s.truncated };
    },
  };
}

const UNIT_DIRS = ['/etc/systemd/system', '/etc/systemd/user', '/usr/lib/systemd/system', '/lib/systemd/system'];

/** Enabled units are the symlinks in `*.wants`/`*.requires` directories; reading them needs no running systemd. */
export const systemdEnabledUnits: Collector = {
  name: 'Systemd enabled units',
  folder: FOLDER,
  fileName: 'SystemdEnabledUnits.txt',
  command: `readlink ${UNIT_DIRS.map((d) => `${d}/*.wants/*`).join(', ')} (and *.requires)`,
  async collect(ctx) {
    const lines: string[] = [];
    for (const dir of UNIT_DIRS) {
      for (const e of (await ctx.fs.readDir(dir)) ?? []) {
        if (e.type !== 'dir' || !/\.(wants|requires)$/.test(e.name)) continue;
        for (const unit of (await ctx.fs.readDir(`${dir}/${e.name}`)) ?? []) {
          const target = unit.type === 'symlink' ? await ctx.fs.readLink(`${dir}/${e.name}/${unit.name}`) : undefined;
          lines.push(`${dir}/${e.name}/${unit.name}${target ? ` -> ${target}` : ''}`);
        }
      }
    }
    return { data: lines.length > 0 ? `${lines.join('\n')}\n` : 'No enabled systemd units found.\n' };
  },
};

export const cron = fileDump({
  name: 'Cron',
  fileName: 'Cron.txt',
  files: ['/etc/crontab', '/etc/anacrontab'],
  dirs: ['/etc/cron.d', '/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly', '/var/spool/cron/crontabs', '/var/spool/cron'],
});

export const rcLocal = fileDump({ name: 'rc.local', fileName: 'RcLocal.txt', files: ['/etc/rc.local', '/etc/rc.d/rc.local'] });

export const shellStartup = fileDump({
  name: 'Shell startup files',
  fileName: 'ShellStartupFiles.txt',
  files: ['/etc/profile', '/etc/bash.bashrc', '/etc/bashrc', '/etc/environment', '/etc/zsh/zshenv', '/etc/zsh/zprofile', '/etc/zsh/zshrc'],
  dirs: ['/etc/profile.d'],
  homeFiles: ['.profile', '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.zshenv', '.zprofile', '.zshrc'],
});

export const ldSoPreload = fileDump({ name: 'ld.so.preload', fileName: 'LdSoPreload.txt', files: ['/etc/ld.so.preload'] });

export const udevRules = fileDump({ name: 'udev rules', fileName: 'UdevRules.txt', dirs: ['/etc/udev/rules.d', '/run/udev/rules.d'] });

export const xdgAutostart = fileDump({ name: 'XDG autostart', fileName: 'XdgAutostart.txt', dirs: ['/etc/xdg/autostart'], homeDirs: ['.config/autostart'] });

export const modulesLoad = fileDump({
  name: 'Modules loaded at boot',
  fileName: 'ModulesLoad.txt',
  files: ['/etc/modules'],
  dirs: ['/etc/modules-load.d', '/run/modules-load.d', '/usr/lib/modules-load.d', '/etc/modprobe.d'],
});

export const AUTORUNS: readonly Collector[] = [systemdEnabledUnits, cron, rcLocal, shellStartup, ldSoPreload, udevRules, xdgAutostart, modulesLoad];
