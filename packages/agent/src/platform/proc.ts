/** Processes through /proc: their executables, signals, and whether they are gone. */
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { Proc, ProcessInfo } from './types.js';

export function createProc(procRoot = '/proc'): Proc {
  return {
    selfPid: process.pid,
    async list() {
      const out: ProcessInfo[] = [];
      for (const name of await readdir(procRoot)) {
        if (!/^\d+$/.test(name)) continue;
        try {
          out.push({ pid: Number(name), exe: await readlink(`${procRoot}/${name}/exe`) });
        } catch {
          // kernel thread (no exe) or the process exited meanwhile
        }
      }
      return out;
    },
    exePath: (pid) => `${procRoot}/${pid}/exe`,
    async kill(pid, signal) {
      try {
        process.kill(pid, signal);
        return true;
      } catch {
        return false;
      }
    },
    async isAlive(pid) {
      try {
        const stat = await readFile(`${procRoot}/${pid}/stat`, 'utf8');
        // Field 3 (after the parenthesised name) is the state; Z = zombie: dead, not yet reaped.
        const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        return state !== 'Z' && state !== 'X';
      } catch {
        return false;
      }
    },
  };
}
