/**
 * Live action updates over server-sent events (`GET /ui/events`, cookie-authenticated). EventSource
 * reconnects by itself after a drop (the server sends `retry: 3000`).
 */
import { useEffect, useRef, useState } from 'react';
import type { MachineAction } from '@cordon/protocol';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export function useActionStream(onAction: (action: MachineAction) => void, machineId?: string): StreamState {
  const handler = useRef(onAction);
  handler.current = onAction;
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(() => {
    const url = machineId ? `/ui/events?machineId=${encodeURIComponent(machineId)}` : '/ui/events';
    const source = new EventSource(url);
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    source.addEventListener('action', (event) => {
      handler.current(JSON.parse((event as MessageEvent<string>).data) as MachineAction);
    });
    return () => source.close();
  }, [machineId]);
  return state;
}
