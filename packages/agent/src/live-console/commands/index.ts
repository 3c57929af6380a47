/**
 * The console commands that run on the device, one module each. Typed against the protocol's
 * command table, so a command the table says runs on the agent cannot be left without a module.
 */
import type { LIVE_CONSOLE_COMMANDS } from '@cordon/protocol';
import type { LiveCommandModule } from '../types.js';
import { cd } from './cd.js';
import { dir } from './dir.js';
import { fileinfo } from './fileinfo.js';
import { findfile } from './findfile.js';
import { processes } from './processes.js';
import { connections } from './connections.js';
import { persistence } from './persistence.js';
import { getfile } from './getfile.js';
import { putfile } from './putfile.js';
import { run } from './run.js';
import { collect } from './collect.js';
import { kill } from './kill.js';
import { suspend } from './suspend.js';
import { remediate } from './remediate.js';
import { scan } from './scan.js';

type AgentCommand = { [K in keyof typeof LIVE_CONSOLE_COMMANDS]: (typeof LIVE_CONSOLE_COMMANDS)[K]['runsOn'] extends 'agent' ? K : never }[keyof typeof LIVE_CONSOLE_COMMANDS];

export const LIVE_COMMAND_MODULES = {
  cd,
  dir,
  fileinfo,
  findfile,
  processes,
  connections,
  persistence,
  getfile,
  putfile,
  run,
  collect,
  kill,
  suspend,
  remediate,
  scan,
} satisfies Record<AgentCommand, LiveCommandModule>;
