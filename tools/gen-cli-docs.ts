/** `npm run gen:cli-docs`: rewrites the command reference in docs/cli.md from the commands' --help. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_DOC_PATH, commandNodes, renderCliReference, withCliReference } from './cli-docs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const path = join(root, CLI_DOC_PATH);
await writeFile(path, withCliReference(await readFile(path, 'utf8'), renderCliReference(commandNodes())));
process.stdout.write(`wrote ${CLI_DOC_PATH}\n`);
