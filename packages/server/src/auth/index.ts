/** Tokens, secrets and keys of the server's OAuth2 side; see plugins/auth.ts and routes/oauth.ts for HTTP. */
export { generateSecret, hashSecret, verifySecret } from './secret-hash.js';
export { createApplication, type NewApplication, type CreatedApplication } from './applications.js';
export { createSigningKeys, TOKEN_ALG, type SigningKeys, type ActiveSigningKey } from './signing-keys.js';
export { issueAppToken, type IssueOptions, type IssuedToken } from './token-issuer.js';
export { createTokenVerifier, CLOCK_TOLERANCE_SECONDS, TokenRejected, type PersonLookup, type TokenVerifier, type TokenVerifierOptions, type TrustedIssuer } from './token-verifier.js';
export { DEFAULT_AUDIENCE, MDE_RESOURCE_APP_ID, TOKEN_LIFETIME_SECONDS, acceptedAudiences, localIssuer } from './token-claims.js';
export { OAuthError, oauthErrorBody, oauthErrors, type OAuthErrorBody, type OAuthErrorCode } from './oauth-error.js';
