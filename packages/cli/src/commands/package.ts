import type { Command } from 'commander';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { download, STDOUT } from '../analyst/download.js';
import { printJson, printLine, run } from '../analyst/output.js';
import { formatBytes, progressBar } from '../analyst/progress.js';

/** `cordon package download <actionId> [-o file.zip | -o -]` (mde-api.md §4.7). */
export function registerPackageCommand(program: Command): void {
  const pkg = program.command('package').description('investigation packages').addHelpText('after', '\nExamples:\n  cordon package download <actionId>');
  addProfileOption(pkg.command('download').description('download the package of a finished collect action').argument('<actionId>'))
    .option('-o, --output <file>', "where to write the zip; '-' for stdout (default: the file name the server offers)")
    .option('--json', 'print {file, bytes} as JSON')
    .addHelpText('after', '\nExamples:\n  cordon package download <actionId>            # saved under the name the server offers\n  cordon package download <actionId> -o - | unzip -l /dev/stdin')
    .action(
      run(async (actionId: string, opts: ConnectionOptions & { output?: string; json?: boolean }) => {
        if (opts.output === STDOUT && opts.json) throw new Error('--json prints to stdout, where -o - writes the package: pick one');
        const client = await connect(opts);
        const link = await client.getPackageUri(actionId);
        const bar = progressBar(opts.output === STDOUT ? 'package' : (opts.output ?? 'package'));
        const { file, bytes } = await download(client, link, opts.output, `${actionId}.zip`, (received, total) => bar.update(received, total));
        bar.done();
        if (file === STDOUT) return;
        if (opts.json) printJson({ file, bytes });
        else printLine(`${file}: ${formatBytes(bytes)}`);
      }),
    );
}
