/**
 * Onboarding: an administrator picks how many devices may enroll and for how long, and gets the
 * cordon-agent package made for that enrollment secret (.deb, or .tar.gz for hosts without dpkg)
 * or the one-line installer to paste on a device (POST /api/cordon/agentPackages).
 */
import { useState, type FormEvent } from 'react';
import type { AgentPackageLinks } from '@cordon/api-client';
import { useApp } from '../app-context.js';
import { errorText, formatTime } from '../format.js';
import { can } from '../session.js';

export function OnboardingPage() {
  const { me, client } = useApp();
  const [links, setLinks] = useState<AgentPackageLinks>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  if (!can(me, 'createAgentPackage')) return <p className="muted">Your roles do not include onboarding devices (Machine.ReadWrite).</p>;

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    setCopied(false);
    try {
      setLinks(await client.createAgentPackage({ maxUses: Number(form.get('maxUses')), expiresInHours: Number(form.get('expiresInHours')) }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function copy(text: string) {
    await navigator.clipboard.writeText(text);
    setCopied(true);
  }

  return (
    <>
      <h1>Onboarding</h1>
      <p className="muted">
        A package carries a new enrollment secret: installed on a device, the agent enrolls and starts. Anyone holding a link can enroll devices until the
        secret expires or its uses run out.
      </p>
      <form className="upload" onSubmit={create} aria-labelledby="onboarding-form-title">
        <h2 id="onboarding-form-title">New agent package</h2>
        <label>
          Devices that may enroll
          <input type="number" name="maxUses" min={1} max={10000} step={1} defaultValue={1} required />
        </label>
        <label>
          Expires after (hours)
          <input type="number" name="expiresInHours" min={1} max={720} step={1} defaultValue={24} required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create package'}
        </button>
      </form>
      {links && (
        <section aria-labelledby="onboarding-links-title">
          <h2 id="onboarding-links-title">Install on devices</h2>
          <p>
            For {links.maxUses} device{links.maxUses === 1 ? '' : 's'}, until {formatTime(links.expiresAt)}.
          </p>
          <p>Run on the device:</p>
          <pre>
            <code>{links.installCommand}</code>
          </pre>
          <button type="button" onClick={() => void copy(links.installCommand)}>
            Copy command
          </button>
          {copied && <span role="status"> Copied.</span>}
          <p>Or download the package (it is built on request: allow a few seconds):</p>
          <ul>
            <li>
              <a href={links.debUrl} download>
                cordon-agent.deb
              </a>{' '}
              (Debian, Ubuntu: <code>sudo apt install ./cordon-agent.deb</code>)
            </li>
            <li>
              <a href={links.tarUrl} download>
                cordon-agent.tar.gz
              </a>{' '}
              (other Linux: unpack, then <code>sudo ./install.sh</code>)
            </li>
          </ul>
        </section>
      )}
    </>
  );
}
