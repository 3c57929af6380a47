/** Every data point of the investigation package, in summary order. */
import type { Collector } from '../collector.js';
import { AUTORUNS } from './autoruns.js';
import { shellHistory } from './history.js';
import { installedPrograms } from './installed-programs.js';
import { kernelModules } from './kernel-modules.js';
import { activeConnections } from './net-connections.js';
import { NETWORK } from './network.js';
import { openFiles } from './open-files.js';
import { processList } from './processes.js';
import { scheduledTasks } from './scheduled-tasks.js';
import { authLog, lastLogins } from './security-log.js';
import { services } from './services.js';
import { smbInbound, smbOutbound } from './smb.js';
import { systemInformation } from './system-info.js';
import { tempDirectories } from './temp-dirs.js';
import { groups, sudoers, users } from './users-groups.js';

export const COLLECTORS: readonly Collector[] = [
  ...AUTORUNS,
  installedPrograms,
  activeConnections,
  ...NETWORK,
  processList,
  scheduledTasks,
  authLog,
  lastLogins,
  services,
  smbInbound,
  smbOutbound,
  systemInformation,
  tempDirectories,
  users,
  groups,
  sudoers,
  shellHistory,
  kernelModules,
  openFiles,
];
