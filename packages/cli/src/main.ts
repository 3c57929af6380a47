#!/usr/bin/env node
/**
 * The `cordon` executable: one binary, subcommands. Each flag has an env fallback declared next to
 * it (house style 8.8); flags are mapped onto the env names that each package's loadConfig reads.
 */
import { buildProgram } from './program.js';
import { argvWantsJson, CLI_ERROR_CODES, endQuietlyWhenReaderCloses, formatJsonError } from './analyst/output.js';

endQuietlyWhenReaderCloses();

// Under --json / -o json a usage error commander finds is the JSON error envelope alone (no help
// text after it), so a script parses every failure the same way.
const jsonErrors = argvWantsJson(process.argv.slice(2));
const program = buildProgram((root) => {
  if (!jsonErrors) return;
  root.configureOutput({
    outputError: (message) => process.stderr.write(`${formatJsonError(new Error(message.trim().replace(/^error:\s*/, '')), CLI_ERROR_CODES.usage)}\n`),
    writeErr: () => {},
  });
});

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(jsonErrors ? `${formatJsonError(err)}\n` : `cordon: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
