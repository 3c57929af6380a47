/**
 * Every migration, listed statically (not globbed from disk), so they run the same from sources
 * (vitest, tsx) and from dist. Names sort in the order they must run; never rename or edit one
 * that shipped: add the next.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { ColumnTypes } from '../dialects/types.js';
import { initialMigration } from './001-initial.js';
import { agentsMigration } from './002-agents.js';
import { usersMigration } from './003-users.js';
import { forensicsMigration } from './004-forensics.js';
import { responseMigration } from './005-response.js';
import { investigationsMigration } from './006-investigations.js';
import { serverProcessesMigration } from './007-server-processes.js';

export function migrationProvider(types: ColumnTypes): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '001-initial': initialMigration(types),
        '002-agents': agentsMigration(types),
        '003-users': usersMigration(types),
        '004-forensics': forensicsMigration(types),
        '005-response': responseMigration(types),
        '006-investigations': investigationsMigration(types),
        '007-server-processes': serverProcessesMigration(types),
      };
    },
  };
}
