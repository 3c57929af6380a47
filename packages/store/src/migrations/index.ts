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
import { actionResultsMigration } from './007-action-results.js';
import { logonUsersMigration } from './008-logon-users.js';
import { avSignatureSourcesMigration } from './009-av-signature-sources.js';
import { requestNoncesMigration } from './010-request-nonces.js';
import { serverProcessesMigration } from './011-server-processes.js';
import { alertCommentsMigration } from './012-alert-comments.js';
import { machineEventsMigration } from './013-machine-events.js';
import { liveSessionsMigration } from './014-live-sessions.js';

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
        '007-action-results': actionResultsMigration(types),
        '008-logon-users': logonUsersMigration(types),
        '009-av-signature-sources': avSignatureSourcesMigration(types),
        '010-request-nonces': requestNoncesMigration(types),
        '011-server-processes': serverProcessesMigration(types),
        '012-alert-comments': alertCommentsMigration(types),
        '013-machine-events': machineEventsMigration(types),
        '014-live-sessions': liveSessionsMigration(types),
      };
    },
  };
}
