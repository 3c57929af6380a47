/**
 * The package boundaries `npm run lint` enforces (eslint.config.js): each case lints a snippet as
 * if it were a file of a package, without touching the tree.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cluster.js';

const eslint = new ESLint({ cwd: ROOT });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('package boundaries', () => {
  it('refuse an arrow the layers forbid (agent -> store, core -> server, web -> core)', async () => {
    expect(await problems('packages/agent/src/fixture.ts', "export { openStore } from '@cordon/store';\n")).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*packages\/agent must not import @cordon\/store \(allowed: protocol/),
    ]);
    expect((await problems('packages/core/src/fixture.ts', "export { buildApp } from '@cordon/server';\n"))[0]).toMatch(/packages\/core must not import @cordon\/server/);
    expect((await problems('packages/web/src/fixture.ts', "export { ActionService } from '@cordon/core';\n"))[0]).toMatch(/packages\/web must not import @cordon\/core/);
  });

  it('refuse an import of a package the importer does not declare, even along an allowed arrow', async () => {
    // The cli may use the agent (for `cordon agent`), but store is neither declared nor allowed.
    expect((await problems('packages/cli/src/fixture.ts', "export { openStore } from '@cordon/store';\n"))[0]).toMatch(/packages\/cli must not import @cordon\/store/);
  });

  it('let a package import what it declares and its layer allows, and let tests import any package', async () => {
    expect(await problems('packages/server/src/fixture.ts', "export { openStore } from '@cordon/store';\nexport { ACTION_CATALOG } from '@cordon/protocol';\n")).toEqual([]);
    expect(await problems('packages/server/test/fixture.test.ts', "export { createExecutorRegistry } from '@cordon/agent';\n")).toEqual([]);
  });

  it('refuse a comment that points at an issue number instead of saying what the code does', async () => {
    expect((await problems('packages/core/src/fixture.ts', '// Issue 12: the lookup\nexport const x = 1;\n'))[0]).toMatch(/^no-warning-comments/);
  });
});

describe('package boundaries through dynamic imports and import types', () => {
  it('refuse them like static imports', async () => {
    expect((await problems('packages/agent/src/fixture.ts', "export const load = () => import('@cordon/server');\n"))[0]).toMatch(/^no-restricted-syntax: packages\/agent must not import @cordon\/server/);
    expect((await problems('packages/web/src/fixture.ts', "export type S = import('@cordon/core').ActionService;\n"))[0]).toMatch(/^no-restricted-syntax: packages\/web must not import @cordon\/core/);
    expect(await problems('packages/cli/src/fixture.ts', "export const load = () => import('@cordon/server');\n")).toEqual([]);
  });
});
