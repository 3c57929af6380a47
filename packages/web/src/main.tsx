import { lazy, StrictMode, Suspense, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AppContext } from './app-context.js';
import { apiClient, loadMe, signOut, type Me } from './session.js';
import { href, useRoute, type Route } from './router.js';
import { errorText } from './format.js';
import { SignInPage } from './pages/sign-in.js';
import { DashboardPage } from './pages/dashboard.js';
import './styles.css';

// The dashboard (the first page) is in the main bundle; every other page is its own chunk, fetched
// when first shown, so signing in downloads only what the first page needs.
const DevicesPage = lazy(() => import('./pages/devices.js').then((m) => ({ default: m.DevicesPage })));
const DevicePage = lazy(() => import('./pages/device.js').then((m) => ({ default: m.DevicePage })));
const ActionCenterPage = lazy(() => import('./pages/action-center.js').then((m) => ({ default: m.ActionCenterPage })));
const LiveResponsePage = lazy(() => import('./pages/live-response.js').then((m) => ({ default: m.LiveResponsePage })));
const ConsolePage = lazy(() => import('./pages/console.js').then((m) => ({ default: m.ConsolePage })));
const LibraryPage = lazy(() => import('./pages/library.js').then((m) => ({ default: m.LibraryPage })));
const OnboardingPage = lazy(() => import('./pages/onboarding.js').then((m) => ({ default: m.OnboardingPage })));
const SettingsPage = lazy(() => import('./pages/settings.js').then((m) => ({ default: m.SettingsPage })));
const AlertsPage = lazy(() => import('./pages/alerts.js').then((m) => ({ default: m.AlertsPage })));
const AlertPage = lazy(() => import('./pages/alert.js').then((m) => ({ default: m.AlertPage })));
const InvestigationPage = lazy(() => import('./pages/investigation.js').then((m) => ({ default: m.InvestigationPage })));

function App() {
  const [me, setMe] = useState<Me | undefined | null>(null); // null: still loading
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadMe().then(setMe, (err: unknown) => setError(errorText(err)));
  }, []);
  if (error) return <p role="alert" className="error page-error">Cannot reach the server: {error}</p>;
  if (me === null) return <p className="loading">Loading…</p>;
  if (!me) return <SignInPage onSignedIn={setMe} />;
  return <SignedIn me={me} onSignedOut={() => setMe(undefined)} />;
}

function SignedIn({ me, onSignedOut }: { me: Me; onSignedOut(): void }) {
  const client = useMemo(() => apiClient(me), [me]);
  const route = useRoute();
  useEffect(() => {
    document.title = `${titleOf(route)} · Cordon`;
  }, [route]);
  const out = async () => {
    await signOut(me).catch(() => undefined);
    onSignedOut();
  };
  return (
    <AppContext.Provider value={{ me, client }}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Cordon</span>
        <nav aria-label="Main">
          <a href={href({ page: 'dashboard' })} aria-current={route.page === 'dashboard' ? 'page' : undefined}>
            Dashboard
          </a>
          <a href={href({ page: 'alerts' })} aria-current={route.page === 'alerts' || route.page === 'alert' || route.page === 'investigation' ? 'page' : undefined}>
            Alerts
          </a>
          <a href={href({ page: 'devices' })} aria-current={route.page === 'devices' || route.page === 'device' || route.page === 'console' ? 'page' : undefined}>
            Devices
          </a>
          <a href={href({ page: 'actions' })} aria-current={route.page === 'actions' && !route.machineId ? 'page' : undefined}>
            Action center
          </a>
          <a href={href({ page: 'library' })} aria-current={route.page === 'library' ? 'page' : undefined}>
            Live response library
          </a>
          <a href={href({ page: 'onboarding' })} aria-current={route.page === 'onboarding' ? 'page' : undefined}>
            Onboarding
          </a>
          <a href={href({ page: 'settings' })} aria-current={route.page === 'settings' ? 'page' : undefined}>
            Settings
          </a>
        </nav>
        <span className="who" title={me.user.roles.join(', ')}>
          {me.user.displayName}
        </span>
        <button type="button" onClick={out}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Page route={route} />
        </Suspense>
      </main>
    </AppContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'alert':
      return <AlertPage key={route.id} id={route.id} />;
    case 'investigation':
      return <InvestigationPage key={route.id} id={route.id} />;
    case 'devices':
      return <DevicesPage />;
    case 'device':
      return <DevicePage key={route.id} id={route.id} />;
    case 'actions':
      return <ActionCenterPage key={route.machineId ?? ''} machineId={route.machineId} />;
    case 'live':
      return <LiveResponsePage key={route.id} id={route.id} />;
    case 'console':
      return <ConsolePage key={route.id} id={route.id} />;
    case 'library':
      return <LibraryPage />;
    case 'onboarding':
      return <OnboardingPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

function titleOf(route: Route): string {
  return { dashboard: 'Dashboard', alerts: 'Alerts', alert: 'Alert', investigation: 'Investigation', devices: 'Devices', device: 'Device', actions: 'Action center', live: 'Live response', console: 'Live response session', library: 'Library', onboarding: 'Onboarding', settings: 'Settings' }[route.page];
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
