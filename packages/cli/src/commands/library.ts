import type { Command } from 'commander';
import { exampleLines } from './list-options.js';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { CordonApiError, isCordonApiError } from '@cordon/api-client';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { printJson, printLine, printTable, run } from '../analyst/output.js';
import { addFormatOption, emit, type FormatOptions } from '../analyst/format.js';

interface UploadOptions extends ConnectionOptions {
  description?: string;
  parametersDescription?: string;
  hasParameters?: boolean;
  override?: boolean;
  name?: string;
  json?: boolean;
}

/** `cordon library upload|list|delete` (mde-api.md §4.11). */
export function registerLibraryCommand(program: Command): void {
  const library = program.command('library').description('the live response library (scripts and files)').addHelpText('after', exampleLines('cordon library list', 'cordon library upload collect.sh'));

  addProfileOption(library.command('upload').description('upload a script or file').argument('<file>'))
    .option('--name <fileName>', 'name in the library (default: the file name)')
    .option('--description <text>', 'description')
    .option('--parameters-description <text>', 'what arguments the script takes')
    .option('--has-parameters', 'the script takes arguments')
    .option('--override', 'replace an existing file of the same name')
    .option('--json', 'print the raw entity')
    .addHelpText('after', exampleLines('cordon library upload collect.sh --description "gathers triage data"', 'cordon library upload collect.sh --has-parameters --parameters-description "-v for verbose" --override'))
    .action(
      run(async (file: string, opts: UploadOptions) => {
        const form = new FormData();
        // openAsBlob streams from disk instead of reading the whole file into memory.
        form.set('File', await openAsBlob(file), opts.name ?? basename(file));
        if (opts.description) form.set('Description', opts.description);
        if (opts.parametersDescription) form.set('ParametersDescription', opts.parametersDescription);
        if (opts.hasParameters) form.set('HasParameters', 'true');
        if (opts.override) form.set('OverrideIfExists', 'true');
        const entry = await (await connect(opts)).uploadLibraryFile(form).catch((err: unknown) => {
          throw nameOverrideFlag(err);
        });
        if (opts.json) printJson(entry);
        else printLine(`uploaded ${entry.fileName} (sha256 ${entry.sha256})`);
      }),
    );

  addFormatOption(addProfileOption(library.command('list').description('list library files')).option('--json', 'print the raw entities'), ['cordon library list --query "[].fileName"', 'cordon library list --query "[?hasParameters].{name: fileName, params: parametersDescription}"'])
    .addHelpText('after', exampleLines('cordon library list', 'cordon library list -o yaml'))
    .action(
      run(async (opts: ConnectionOptions & FormatOptions) => {
        const files = await (await connect(opts)).listLibraryFiles();
        emit(opts, files, () =>
          printTable(
          ['NAME', 'SHA256', 'PARAMS', 'UPDATED (UTC)', 'BY', 'DESCRIPTION'],
            files.map((f) => [f.fileName, f.sha256.slice(0, 12), f.hasParameters ? 'yes' : 'no', f.lastUpdatedTime.slice(0, 19).replace('T', ' '), f.createdBy, f.description ?? '']),
          ),
        );
      }),
    );

  addProfileOption(library.command('delete').description('delete a library file').argument('<fileName>'))
    .option('--json', 'print {deleted} as JSON')
    .addHelpText('after', exampleLines('cordon library delete collect.sh'))
    .action(
      run(async (fileName: string, opts: ConnectionOptions & { json?: boolean }) => {
        await (await connect(opts)).deleteLibraryFile(fileName);
        if (opts.json) printJson({ deleted: fileName });
        else printLine(`deleted ${fileName}`);
      }),
    );
}

/** The server's refusal names the API field (OverrideIfExists); at the command line it is --override. */
function nameOverrideFlag(err: unknown): unknown {
  if (!isCordonApiError(err) || !err.message.includes('OverrideIfExists')) return err;
  const message = err.message.replace(/;?\s*set OverrideIfExists to true to replace it/, '; pass --override to replace it').replace('OverrideIfExists', '--override');
  return new CordonApiError(err.status, err.code, message, err.target);
}
