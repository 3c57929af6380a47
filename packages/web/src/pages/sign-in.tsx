import { useEffect, useState } from 'react';
import { loadUiConfig, signIn, type Me, type UiConfig } from '../session.js';
import { errorText } from '../format.js';

export function SignInPage({ onSignedIn }: { onSignedIn(me: Me): void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [config, setConfig] = useState<UiConfig>();
  useEffect(() => {
    let live = true;
    void loadUiConfig().then((c) => live && setConfig(c));
    return () => {
      live = false;
    };
  }, []);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(name, password));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Cordon</h1>
        <label htmlFor="sign-in-name">User name</label>
        <input id="sign-in-name" name="username" autoComplete="username" required value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        <label htmlFor="sign-in-password">Password</label>
        <input id="sign-in-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {config?.oidc && (
          <>
            <p className="sign-in-or">or</p>
            {/* A full-page navigation: the server redirects to the identity provider and back. */}
            <a className="sign-in-oidc" href={config.oidc.loginUrl}>
              Sign in with {config.oidc.issuerHost}
            </a>
          </>
        )}
      </form>
    </main>
  );
}
