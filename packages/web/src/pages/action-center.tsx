import { useEffect, useState } from 'react';
import { useApp } from '../app-context.js';
import { href } from '../router.js';
import { ActionList } from '../components/action-list.js';
import { hashPath, replaceHash } from '../url-state.js';

/** `#/actions/<id>` (the path form of a link to one action) as the panel's `#/actions?action=<id>`. */
export function actionPathLink(hash: string): string | undefined {
  const m = /^#\/actions\/([^/]+)$/.exec(hashPath(hash));
  return m ? `#/actions?action=${encodeURIComponent(decodeURIComponent(m[1]!))}` : undefined;
}

export function ActionCenterPage({ machineId }: { machineId?: string }) {
  const { client } = useApp();
  const [name, setName] = useState<string>();
  useEffect(() => {
    const normalise = () => {
      const link = actionPathLink(window.location.hash);
      if (link) replaceHash(link);
    };
    normalise();
    window.addEventListener('hashchange', normalise);
    return () => window.removeEventListener('hashchange', normalise);
  }, []);
  useEffect(() => {
    if (machineId) client.getMachine(machineId).then((m) => setName(m.computerDnsName), () => setName(machineId));
  }, [client, machineId]);
  return (
    <>
      <h1>Action center{machineId ? `: ${name ?? '…'}` : ''}</h1>
      {machineId && (
        <p>
          <a href={href({ page: 'device', id: machineId })}>Back to the device</a> · <a href={href({ page: 'actions' })}>All devices</a>
        </p>
      )}
      <ActionList machineId={machineId} title={machineId ? 'Actions on this device' : 'All actions'} />
    </>
  );
}
