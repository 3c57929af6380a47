/**
 * Live action updates over server-sent events (`GET /ui/events`, cookie-authenticated). EventSource
 * reconnects by itself after a drop (the server sends `retry: 3000`).
 */
import { useEffect, useRef, useState } from 'react';
import type { Machine, MachineAction } from '@cordon/protocol';

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

/**
 * `event: machine` of one machine (the wire Machine after the server recorded a change of its
 * health, tags, isolation or restriction): the device page. Its own connection, so the action
 * list's stream stays as it is.
 */
export function useMachineStream(machineId: string, onMachine: (machine: Machine) => void): void {
  const handler = useRef(onMachine);
  handler.current = onMachine;
  useEffect(() => {
    const source = new EventSource(`/ui/events?machineId=${encodeURIComponent(machineId)}`);
    source.addEventListener('machine', (event) => {
      handler.current(JSON.parse((event as MessageEvent<string>).data) as Machine);
    });
    return () => source.close();
  }, [machineId]);
}
