/**
 * Settings for executors built the way the server builds what it sends agents: its validation of a
 * `PUT /api/cordon/settings` body, then its conversion. A test can give an executor only what a
 * tenant can set and the server sends.
 */
import { toAgentSettings, validateTenantSettings } from '@cordon/core';
import type { AgentSettings, TenantSettingsBody } from '@cordon/protocol';

export function agentSettings(body: TenantSettingsBody = {}): AgentSettings {
  return toAgentSettings(validateTenantSettings(body, '2026-01-01T00:00:00.0000000Z'));
}
