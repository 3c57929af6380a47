import { useEffect, useState } from 'react';
import { useApp } from '../app-context.js';
import { href } from '../router.js';
import { ActionList } from '../components/action-list.js';

export function ActionCenterPage({ machineId }: { machineId?: string }) {
  const { client } = useApp();
  const [name, setName] = useState<string>();
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
