/**
 * docs/cli.md's command reference is generated from the commands' own --help (tools/cli-docs.ts);
 * this holds the committed text equal to what the commands print now, and every command to at least
 * one example in its help.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_DOC_PATH, commandNodes, helpOf, renderCliReference, withCliReference } from '../tools/cli-docs.js';
import { ROOT } from './support/cluster.js';

describe('docs/cli.md command reference', () => {
  it('matches every command\'s --help (run `npm run gen:cli-docs` after changing a command)', async () => {
    const committed = await readFile(join(ROOT, CLI_DOC_PATH), 'utf8');
    expect(committed === withCliReference(committed, renderCliReference(commandNodes())), `${CLI_DOC_PATH} is stale: run \`npm run gen:cli-docs\``).toBe(true);
  });

  it('is the same whatever the terminal and environment', () => {
    const saved = { columns: process.stdout.columns, env: { ...process.env } };
    const first = renderCliReference(commandNodes());
    try {
      Object.assign(process.env, { COLUMNS: '40', FORCE_COLOR: '1', CORDON_DATA: '/elsewhere', CORDON_TENANT: 'other' });
      process.stdout.columns = 40;
      expect(renderCliReference(commandNodes())).toBe(first);
    } finally {
      process.stdout.columns = saved.columns;
      for (const key of ['COLUMNS', 'FORCE_COLOR', 'CORDON_DATA', 'CORDON_TENANT']) {
        if (saved.env[key] === undefined) delete process.env[key];
        else process.env[key] = saved.env[key];
      }
    }
  });

  it('shows at least one example in every command\'s --help', () => {
    const without = commandNodes().filter((n) => !/\nExamples:\n {2}\S/.test(helpOf(n.command))).map((n) => ['cordon', ...n.path].join(' '));
    expect(without).toEqual([]);
  });

  it('keeps the hand-written text around the markers, and refuses a file without them', () => {
    expect(withCliReference('intro\n<!-- BEGIN command reference: generated from --help by `npm run gen:cli-docs`; do not edit by hand -->old<!-- END command reference -->\noutro', 'NEW')).toBe('intro\nNEW\noutro');
    expect(() => withCliReference('no markers', 'NEW')).toThrow(/needs the markers/);
  });
});
