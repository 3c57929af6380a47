import type { Command } from 'commander';
import { downloadToFile } from '@cordon/api-client/node';
import { addProfileOption, connect, type ConnectionOptions } from '../analyst/connection.js';
import { printJson, printLine, run } from '../analyst/output.js';
import { formatBytes, progressBar } from '../analyst/progress.js';

/** `cordon package download <actionId> -o file.zip` (mde-api.md §4.7). */
export function registerPackageCommand(program: Command): void {
  const pkg = program.command('package').description('investigation packages');
  addProfileOption(pkg.command('download').description('download the package of a finished collect action').argument('<actionId>'))
    .requiredOption('-o, --output <file>', 'where to write the zip')
    .option('--json', 'print {file, bytes} as JSON')
    .action(
      run(async (actionId: string, opts: ConnectionOptions & { output: string; json?: boolean }) => {
        const client = await connect(opts);
        const link = await client.getPackageUri(actionId);
        const bar = progressBar(opts.output);
        const bytes = await downloadToFile(client, link, opts.output, { onProgress: (p) => bar.update(p.received, p.total) });
        bar.done();
        if (opts.json) printJson({ file: opts.output, bytes });
        else printLine(`${opts.output}: ${formatBytes(bytes)}`);
      }),
    );
}
