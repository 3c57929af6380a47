/**
 * Registers every analyst command (the API client side of the CLI) and the exit-code epilog of
 * `cordon --help`. main.ts calls this once.
 */
import type { Command } from 'commander';
import { EXIT_CODES_HELP } from '../analyst/output.js';
import { registerLoginCommand } from './login.js';
import { registerAuthCommands } from './auth.js';
import { registerProfilesCommand } from './profiles.js';
import { registerMachinesCommand } from './machines.js';
import { registerResponseActionCommands } from './response-actions.js';
import { registerActionsCommand } from './actions.js';
import { registerPackageCommand } from './package.js';
import { registerLiveCommand } from './live.js';
import { registerLibraryCommand } from './library.js';
import { registerSettingsCommand } from './settings.js';
import { registerAlertsCommand } from './alerts.js';
import { registerInvestigationsCommand } from './investigations.js';

export function registerAnalystCommands(program: Command): void {
  registerLoginCommand(program);
  registerAuthCommands(program);
  registerProfilesCommand(program);
  registerMachinesCommand(program);
  registerResponseActionCommands(program);
  registerActionsCommand(program);
  registerPackageCommand(program);
  registerLiveCommand(program);
  registerLibraryCommand(program);
  registerSettingsCommand(program);
  registerAlertsCommand(program);
  registerInvestigationsCommand(program);
  program.addHelpText('after', EXIT_CODES_HELP);
}
