/**
 * Live action updates over server-sent events (`GET /ui/events`, cookie-authenticated). EventSource
 * reconnects by itself after a drop (the server sends `retry: 3000`).
 */
import { useEffect, useRef, useState } from 'react';
import type { Machine, MachineAction } from '@cordon/protocol';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/**
 * `onMachine` gets `event: machine` (the wire Machine after a recorded change of its health, tags,
 * isolation or restriction), for the one machine when `machineId` is given.
 */
export function useActionStream(onAction: (action: MachineAction) => void, machineId?: string, onMachine?: (machine: Machine) => void): StreamState {
  const handler = useRef(onAction);
  handler.current = onAction;
  const machineHandler = useRef(onMachine);
  machineHandler.current = onMachine;
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(() => {
    const url = machineId ? `/ui/events?machineId=${encodeURIComponent(machineId)}` : '/ui/events';
    const source = new EventSource(url);
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    source.addEventListener('action', (event) => {
      handler.current(JSON.parse((event as MessageEvent<string>).data) as MachineAction);
    });
    source.addEventListener('machine', (event) => {
      machineHandler.current?.(JSON.parse((event as MessageEvent<string>).data) as Machine);
    });
    return () => source.close();
  }, [machineId]);
  return state;
}

/**
 * Only the `event: machine` stream of one machine (the device page): its own connection, so the
 * action list's stream stays as it is.
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
