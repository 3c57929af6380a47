/** People who sign in to the web UI: users, roles, sessions and the tokens their browser uses. */
export { USER_ROLES, ROLE_SCOPES, isUserRole, parseRoles, scopesForRoles, type UserRole } from '../roles.js';
export { createUser, checkPassword, setUserPassword, UserError, MIN_PASSWORD_LENGTH, type NewUser } from './users.js';
export { createSessionManager, csrfMatches, hashSessionId, DEFAULT_SESSION_TTL_MS, type SessionManager, type ActiveSession } from './sessions.js';
export { issueDelegatedToken, UI_TOKEN_LIFETIME_SECONDS, type DelegatedTokenOptions } from './delegated-token.js';
export { createSignInThrottle, type SignInThrottle, type SignInThrottleOptions } from './sign-in-throttle.js';
export { SESSION_COOKIE, readCookie, sessionCookie, clearedSessionCookie } from './cookies.js';
export { createOidcClient, claimValues, pkceChallenge, OidcError, type OidcClient, type OidcClientOptions, type OidcFlow, type OidcIdentity } from './oidc.js';
export { OIDC_FLOW_COOKIE, OIDC_FLOW_TTL_SECONDS, sealFlow, openFlow, flowCookie } from './oidc-flow.js';
export { oidcUserName, upsertOidcUser, OidcUserRefused } from './oidc-users.js';

import { KyselyUserStore, type Store, type UserStore } from '@cordon/store';
/** The users of a store's database (the CLI reaches them through the server package). */
export function userStoreOf(store: Pick<Store, 'db'>): UserStore {
  return new KyselyUserStore(store.db);
}
