/** People who sign in to the web UI: users, roles, sessions and the tokens their browser uses. */
export { USER_ROLES, ROLE_SCOPES, isUserRole, parseRoles, scopesForRoles, type UserRole } from './roles.js';
export { createUser, checkPassword, UserError, MIN_PASSWORD_LENGTH, type NewUser } from './users.js';
export { createSessionManager, csrfMatches, hashSessionId, DEFAULT_SESSION_TTL_MS, type SessionManager, type ActiveSession } from './sessions.js';
export { issueDelegatedToken, UI_TOKEN_LIFETIME_SECONDS, type DelegatedTokenOptions } from './delegated-token.js';
export { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.js';
export { SESSION_COOKIE, readCookie, sessionCookie, clearedSessionCookie } from './cookies.js';
