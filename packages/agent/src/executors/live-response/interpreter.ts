/**
 * Which program runs a library script: by extension, else by its `#!` line. The script is always
 * passed as a file argument to the interpreter, so it need not be executable.
 */
const BY_EXTENSION: Record<string, string[]> = {
  '.sh': ['/bin/sh'],
  '.bash': ['bash'],
  '.py': ['python3'],
  '.ps1': ['pwsh', '-NoLogo', '-NoProfile', '-NonInteractive', '-File'],
};

/** The interpreter argv (before the script path), or an error naming what is missing. */
export function chooseInterpreter(scriptName: string, head: string): { ok: true; argv: string[] } | { ok: false; error: string } {
  const ext = /\.[A-Za-z0-9]+$/.exec(scriptName)?.[0].toLowerCase();
  if (ext && BY_EXTENSION[ext]) return { ok: true, argv: BY_EXTENSION[ext] };
  if (head.startsWith('#!')) {
    // Linux semantics: the interpreter path, then at most one argument (the rest of the line).
    const line = head.slice(2).split('\n')[0].trim();
    const space = line.search(/[ \t]/);
    const argv = space < 0 ? [line] : [line.slice(0, space), line.slice(space).trim()];
    if (argv[0].startsWith('/')) return { ok: true, argv };
  }
  return { ok: false, error: `cannot tell how to run ${scriptName}: use .sh, .bash, .py or .ps1, or start it with a #! line` };
}
