/** One automated investigation (`#/investigations/<id>`): the same card as on the device page. */
import { useCallback, useEffect, useState } from 'react';
import type { Investigation } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { href } from '../router.js';
import { errorText } from '../format.js';
import { useActionStream } from '../live.js';
import { InvestigationCard } from '../components/investigations.js';

export function InvestigationPage({ id }: { id: string }) {
  const { client } = useApp();
  const [inv, setInv] = useState<Investigation>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    client.getInvestigation(id).then(
      (i) => (setInv(i), setError(undefined)),
      (err: unknown) => setError(errorText(err)),
    );
  }, [client, id]);
  useEffect(load, [load]);
  // Its actions finishing move it on; the server advances it just after the event.
  useActionStream(() => void setTimeout(load, 1000), inv?.machineId);

  return (
    <article aria-labelledby="investigation-title">
      <h1 id="investigation-title">Automated investigation {id}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!inv && !error && <p className="loading">Loading…</p>}
      {inv && (
        <>
          <p>
            Device <a href={href({ page: 'device', id: inv.machineId })}>{inv.computerDnsName}</a>
            {inv.triggeringAlertId ? (
              <>
                {' '}
                · started by alert <a href={href({ page: 'alert', id: inv.triggeringAlertId })}>{inv.triggeringAlertId}</a>
              </>
            ) : null}
          </p>
          <InvestigationCard inv={inv} onChanged={(i) => (setInv(i), setTimeout(load, 1500))} headingLevel={2} />
        </>
      )}
    </article>
  );
}
