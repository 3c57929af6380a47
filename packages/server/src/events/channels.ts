/** Notifier channel of tenant settings changes: payload is the tenant id whose settings changed. */
export const SETTINGS_CHANNEL = 'cordon_settings';
