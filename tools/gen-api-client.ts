/** `npm run gen:api-client`: rewrites the api-client's generated types from the routes' schemas. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_TYPES_PATH, generateApiClientTypes } from './api-client-types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
await writeFile(join(root, GENERATED_TYPES_PATH), await generateApiClientTypes());
process.stdout.write(`wrote ${GENERATED_TYPES_PATH}\n`);
