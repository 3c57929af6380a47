/**
 * `cordon profiles list|use`: the named profiles under $XDG_CONFIG_HOME/cordon (profile.ts), as
 * kubectl's `config get-contexts` / `use-context` show and switch contexts.
 */
import { exampleLines } from './list-options.js';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { addFormatOption, emit, type FormatOptions } from '../analyst/format.js';
import { printLine, printTable, run } from '../analyst/output.js';
import { checkProfileName, configDir, listProfileNames, namedProfilePath, resolveProfileRef, setCurrentProfile } from '../analyst/profile.js';

/** One row of `profiles list`; read from the file alone, so listing never asks the keyring. */
export interface ProfileSummary {
  name: string;
  current: boolean;
  path: string;
  server: string | null;
  tenant: string | null;
  /** `application <clientId>`, `user <name>`, `token`, or null when signed out. */
  signIn: string | null;
  /** Where its secrets are: `keyring`, `file`, or `none` (signed out). */
  secretStore: 'keyring' | 'file' | 'none';
}

export async function profileSummaries(env: NodeJS.ProcessEnv = process.env): Promise<ProfileSummary[]> {
  const current = (await resolveProfileRef(undefined, env)).name;
  const summaries: ProfileSummary[] = [];
  for (const name of await listProfileNames(env)) {
    const path = namedProfilePath(name, env);
    const p = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    const str = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : null);
    const inFile = p.clientSecret !== undefined || p.token !== undefined || p.session !== undefined;
    const secretStore = p.secretStore === 'keyring' ? 'keyring' : inFile ? 'file' : 'none';
    const kind = str('user') ? `user ${str('user')}` : str('clientId') ? `application ${str('clientId')}` : 'token';
    summaries.push({ name, current: name === current, path, server: str('server'), tenant: str('tenant'), signIn: secretStore === 'none' ? null : kind, secretStore });
  }
  return summaries;
}

const USE_HELP = `
Examples:
  cordon profiles use lab        # later commands use the profile "lab"
  cordon profiles use default    # back to ~/.config/cordon/profile.json
  cordon machines list --profile lab   # one command with another profile, leaving the current one`;

export function registerProfilesCommand(program: Command): void {
  const profiles = program.command('profiles').description('list the saved profiles and choose the current one').addHelpText('after', exampleLines('cordon profiles list', 'cordon profiles use lab'));

  const list = profiles
    .command('list')
    .description('list the profiles saved by cordon login (* marks the current one)')
    .option('--json', 'print the profiles as a JSON array')
    .addHelpText('after', '\nExamples:\n  cordon profiles list\n  cordon profiles list -o json');
  addFormatOption(list, [
    'cordon profiles list --query "[?current].name"',
    'cordon profiles list --query "[].{name: name, server: server}"',
  ]).action(
      run(async (opts: FormatOptions) => {
        const rows = await profileSummaries();
        emit(opts, rows, () => {
          if (rows.length === 0) return printLine(`no profiles in ${configDir()}: create one with cordon login`);
          printTable(
            ['CURRENT', 'NAME', 'SERVER', 'TENANT', 'SIGNED IN AS', 'SECRETS'],
            rows.map((r) => [r.current ? '*' : '', r.name, r.server ?? '', r.tenant ?? '', r.signIn ?? '(signed out)', r.secretStore === 'keyring' ? 'OS keyring' : r.secretStore === 'file' ? 'profile file' : '-']),
          );
        });
      }),
    );

  profiles
    .command('use')
    .description('make a saved profile the current one (recorded in config.json)')
    .argument('<name>', 'profile name, as cordon profiles list shows it')
    .addHelpText('after', USE_HELP)
    .action(
      run(async (name: string) => {
        checkProfileName(name);
        if (!(await listProfileNames()).includes(name)) throw new Error(`no profile ${name}: cordon profiles list shows the saved ones; cordon login --profile ${name} ... creates it`);
        await setCurrentProfile(name);
        printLine(`current profile: ${name}`);
      }),
    );
}
