/**
 * `cordon settings get|edit|set`: the tenant's response settings (`GET/PUT /api/cordon/settings`,
 * Cordon extension, docs/extensions.md). PUT replaces the whole document, so `edit` and `set` read
 * it first, change it, and send it back whole; the server validates (CIDRs, hash lines, YARA).
 */
import { exampleLines } from './list-options.js';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Option, type Command } from 'commander';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { isCordonApiError, type CordonSettingsEntity } from '@cordon/api-client';
import { TenantSettingsBody } from '@cordon/protocol';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { printDryRun } from '../analyst/dry-run.js';
import { formatError, printJson, printLine, run } from '../analyst/output.js';
import { confirm } from '../analyst/prompt.js';

const SETTINGS_PATH = '/api/cordon/settings';
const DOC_FORMATS = ['yaml', 'json'] as const;
type DocFormat = (typeof DOC_FORMATS)[number];

/** What may be written: the settings without the read-only annotations GET adds. */
type Editable = Record<string, unknown>;

interface GetOptions extends ConnectionOptions {
  json?: boolean;
  output?: DocFormat;
}

interface SetOptions extends ConnectionOptions {
  add: string[];
  remove: string[];
  dryRun?: boolean;
  json?: boolean;
}

/** Every key `settings set` takes: top-level fields and `scanSignatures.<list>`, with their schema kind. */
const KEYS: ReadonlyMap<string, 'list' | 'integer' | 'string'> = new Map(
  Object.entries(TenantSettingsBody.properties).flatMap(([name, schema]): Array<[string, 'list' | 'integer' | 'string']> => {
    if (name.startsWith('@') || name === 'lastUpdateTime') return [];
    const s = schema as { type?: string; properties?: Record<string, { type?: string }> };
    if (s.type === 'object') return Object.keys(s.properties ?? {}).map((sub) => [`${name}.${sub}`, 'list']);
    return [[name, s.type === 'array' ? 'list' : s.type === 'integer' ? 'integer' : 'string']];
  }),
);

function editable(settings: CordonSettingsEntity): Editable {
  const { '@odata.context': _context, lastUpdateTime: _updated, ...rest } = settings;
  return rest;
}

function render(doc: Editable, format: DocFormat): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringifyYaml(doc);
}

export function registerSettingsCommand(program: Command): void {
  const settings = program.command('settings').description("show and change the tenant's response settings (isolation exceptions, scan signatures, ...)").addHelpText('after', exampleLines('cordon settings get', 'cordon settings set scanCpuPercent 30'));

  addProfileOption(settings.command('get').description('print the tenant settings (YAML by default)'))
    .addOption(new Option('-o, --output <format>', 'output format').choices(DOC_FORMATS))
    .option('--json', 'print JSON (-o json)')
    .addHelpText('after', '\nExamples:\n  cordon settings get\n  cordon settings get -o json | jq .isolationExceptions')
    .action(
      run(async (opts: GetOptions) => {
        const current = await (await connect(opts)).getCordonSettings();
        if (opts.json || opts.output === 'json') printJson(current);
        else process.stdout.write(stringifyYaml(current));
      }),
    );

  addProfileOption(settings.command('edit').description('edit the tenant settings in $VISUAL or $EDITOR (else vi), then save them'))
    .addOption(new Option('--format <format>', 'document format in the editor').choices(DOC_FORMATS).default('yaml'))
    .option('--json', 'print the saved settings as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  cordon settings edit\n  EDITOR=nano cordon settings edit --format json\n\n' +
        'An unchanged document sends nothing. When the server refuses the document (400) its message is\n' +
        'shown and, on a terminal, you can edit again; the edited text stays in the temporary file named.',
    )
    .action(run(async (opts: ConnectionOptions & { format: DocFormat; json?: boolean }) => editSettings(opts)));

  addProfileOption(settings.command('set').description('change one setting: a value, or --add/--remove items of a list').argument('<key>', `one of: ${[...KEYS.keys()].join(', ')}`).argument('[value]', 'the new value (not for lists)'))
    .option('--add <item>', 'add an item to a list (repeatable)', collect, [])
    .option('--remove <item>', 'remove an item from a list (repeatable)', collect, [])
    .option('--dry-run', 'print the PUT request instead of sending it')
    .option('--json', 'print the saved settings as JSON (with --dry-run: the request as one JSON document)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  cordon settings set scanCpuPercent 30\n' +
        '  cordon settings set remediationLevel None\n' +
        '  cordon settings set isolationExceptions --add 10.0.0.0/8 --add 192.0.2.10:443\n' +
        "  cordon settings set scanSignatures.hashes --add '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f:68:EICAR-Test-File'\n" +
        '  cordon settings set executionAllowList --remove /usr/local/bin/tool --dry-run',
    )
    .action(
      run(async (key: string, value: string | undefined, opts: SetOptions) => {
        const kind = KEYS.get(key);
        if (!kind) throw new Error(`unknown setting '${key}'; one of: ${[...KEYS.keys()].join(', ')}`);
        // Every argument is checked before the first request, as for every command.
        if (kind === 'list') changeList(write({}, key, opts.remove), key, value, opts);
        else changeValue({}, key, kind, value, opts);
        const client = await connect(opts);
        const doc = editable(await client.getCordonSettings());
        const changed = kind === 'list' ? changeList(doc, key, value, opts) : changeValue(doc, key, kind, value, opts);
        if (opts.dryRun) return printDryRun(opts, 'PUT', SETTINGS_PATH, changed);
        const saved = await client.updateCordonSettings(changed);
        if (opts.json) printJson(saved);
        else printLine(`${key}: ${describeValue(read(saved as unknown as Editable, key))}`);
      }),
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function read(doc: Editable, key: string): unknown {
  const [top, sub] = key.split('.') as [string, string | undefined];
  const value = doc[top];
  return sub === undefined ? value : (value as Record<string, unknown> | undefined)?.[sub];
}

function write(doc: Editable, key: string, value: unknown): Editable {
  const [top, sub] = key.split('.') as [string, string | undefined];
  if (sub === undefined) return { ...doc, [top]: value };
  return { ...doc, [top]: { ...((doc[top] as Record<string, unknown> | undefined) ?? {}), [sub]: value } };
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  return String(value);
}

function changeList(doc: Editable, key: string, value: string | undefined, opts: SetOptions): Editable {
  if (value !== undefined) throw new Error(`${key} is a list: use --add <item> and/or --remove <item>`);
  if (opts.add.length + opts.remove.length === 0) throw new Error(`${key} is a list: pass --add <item> and/or --remove <item>`);
  const items = [...((read(doc, key) as string[] | undefined) ?? [])];
  const missing = opts.remove.filter((item) => !items.includes(item));
  if (missing.length > 0) throw new Error(`not in ${key}: ${missing.join(', ')}; nothing was sent`);
  const kept = items.filter((item) => !opts.remove.includes(item));
  for (const item of opts.add) if (!kept.includes(item)) kept.push(item);
  return write(doc, key, kept);
}

function changeValue(doc: Editable, key: string, kind: 'integer' | 'string', value: string | undefined, opts: SetOptions): Editable {
  if (opts.add.length + opts.remove.length > 0) throw new Error(`${key} is not a list: pass the new value instead of --add/--remove`);
  if (value === undefined) throw new Error(`pass the new value of ${key}`);
  if (kind === 'integer') {
    if (!/^-?\d+$/.test(value)) throw new Error(`${key} takes a whole number, not '${value}'`);
    return write(doc, key, Number(value));
  }
  return write(doc, key, value);
}

/** Runs the editor on `file` as a shell would ($EDITOR may carry arguments, e.g. `code --wait`). */
function runEditor(file: string): void {
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  const result = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
  if (result.error) throw new Error(`could not start the editor '${editor}': ${result.error.message}`);
  if (result.status !== 0) throw new Error(`the editor '${editor}' exited with ${result.status ?? result.signal}; nothing was sent (your text is in ${file})`);
}

function parseDoc(text: string, format: DocFormat): Editable {
  const value: unknown = format === 'json' ? JSON.parse(text) : parseYaml(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('the document must be a mapping of setting names to values');
  return value as Editable;
}

async function editSettings(opts: ConnectionOptions & { format: DocFormat; json?: boolean }): Promise<number | void> {
  const client = await connect(opts);
  const original = editable(await client.getCordonSettings());
  const dir = await mkdtemp(join(tmpdir(), 'cordon-settings-'));
  const file = join(dir, `settings.${opts.format}`);
  await writeFile(file, render(original, opts.format), { mode: 0o600 });
  for (;;) {
    runEditor(file);
    const text = await readFile(file, 'utf8');
    let problem: string;
    try {
      const edited = parseDoc(text, opts.format);
      if (isDeepStrictEqual(edited, original)) {
        await rm(dir, { recursive: true, force: true });
        printLine('no changes; nothing was sent');
        return;
      }
      const saved = await client.updateCordonSettings(edited as Parameters<typeof client.updateCordonSettings>[0]);
      await rm(dir, { recursive: true, force: true });
      if (opts.json) printJson(saved);
      else printLine('settings saved');
      return;
    } catch (err) {
      // Only a document the server (or the parser) refused is worth editing again.
      if (isCordonApiError(err) && err.status !== 400) {
        process.stderr.write(`cordon: your edits are kept in ${file}\n`);
        throw err;
      }
      problem = isCordonApiError(err) ? formatError(err) : `cordon: the document is not valid ${opts.format.toUpperCase()}: ${err instanceof Error ? err.message : String(err)}`;
    }
    process.stderr.write(`${problem}\n`);
    if (process.stdin.isTTY && (await confirm('Edit again? [y/N] '))) continue;
    process.stderr.write(`cordon: nothing was saved; your edits are kept in ${file}\n`);
    return 1;
  }
}
