// Resolves `@cordon/<pkg>` (and `@cordon/<pkg>/<sub>`) to the TypeScript sources, as vitest's
// alias does, so e2e tests and benchmarks spawn `node --import tsx --import ./e2e/support/register.mjs`
// straight from sources with no build. tsx then loads the .ts files.
import { pathToFileURL } from 'node:url';
import { resolve as resolvePath, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolvePath(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function resolve(specifier, context, next) {
  const m = /^@cordon\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(specifier);
  if (m) {
    const file = m[2] ? `${root}/packages/${m[1]}/src/${m[2]}/index.ts` : `${root}/packages/${m[1]}/src/index.ts`;
    return next(pathToFileURL(file).href, context);
  }
  return next(specifier, context);
}
