import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliSandbox, type CliSandbox } from './cli-harness.js';
import { skipUnlessAble } from '../../../e2e/support/require-privileged.js';

vi.setConfig({ testTimeout: 120_000 });

/** Whether a shell is installed; a shell that is absent cannot check its script, and the test says so. */
function installed(shell: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let cli: CliSandbox;
beforeAll(async () => {
  cli = await cliSandbox();
});
afterAll(() => cli.cleanup());

/** Writes `cordon completion <shell>` to a file and returns its path. */
async function script(shell: string): Promise<string> {
  const res = await cli.run(['completion', shell]);
  expect(res).toMatchObject({ code: 0, stderr: '' });
  const file = join(cli.dir, `cordon.${shell}`);
  await writeFile(file, res.stdout);
  return file;
}

/** What bash offers after `cordon <words...>` with the cursor on the last word. */
function bashComplete(file: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source '${file}'; COMP_WORDS=(cordon ${quoted}); COMP_CWORD=${words.length}; _cordon; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

describe('cordon completion', () => {
  it('bash: the script should pass bash -n and complete commands, subcommands and options from the command tree', async () => {
    const file = await script('bash');
    execFileSync('bash', ['-n', file]);
    expect(bashComplete(file, [''])).toEqual(expect.arrayContaining(['isolate', 'machines', 'actions', 'live', 'completion', '--version']));
    expect(bashComplete(file, ['machines', ''])).toEqual(['list', 'get', 'tag', '--help', '-h']);
    expect(bashComplete(file, ['isolate', 'host1', '--comment', 'why', '--'])).toEqual(expect.arrayContaining(['--comment', '--type', '--yes', '--wait', '--dry-run']));
    expect(bashComplete(file, ['live', 'run', 'm1', '--g'])).toEqual(['--get']);
  });

  for (const shell of ['zsh', 'fish']) {
    // .ci/run installs both shells: on CI a missing one fails the run instead of skipping.
    const skip = skipUnlessAble(`${shell} completion check`, installed(shell) ? undefined : `${shell} is not installed (command -v ${shell} found nothing)`);
    it.skipIf(skip)(`${shell}: the script should pass ${shell} -n`, async () => {
      execFileSync(shell, ['-n', await script(shell)]);
    });
  }

  it.skipIf(skipUnlessAble('fish completion', installed('fish') ? undefined : 'fish is not installed'))('fish: the script should complete subcommands and options', async () => {
    const file = await script('fish');
    const complete = (line: string) => execFileSync('fish', ['-c', `source '${file}'; complete -C '${line}'`], { encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
    expect(complete('cordon machines ')).toEqual(['get', 'list', 'tag']);
    expect(complete('cordon isolate m1 --d')).toEqual(['--dry-run']);
  });

  it('zsh and fish: the scripts should list the same commands and options', async () => {
    for (const shell of ['zsh', 'fish']) {
      const text = await readFile(await script(shell), 'utf8');
      for (const word of ['isolate', 'machines', 'comment', 'dry-run']) expect(text, `${shell}: ${word}`).toContain(word);
    }
  });

  it('should refuse an unknown shell', async () => {
    const res = await cli.run(['completion', 'tcsh']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });
});
