/**
 * Bulk response actions on the selected devices: add a tag, run an antivirus scan, isolate. The
 * API has no bulk call, so the dialog lists the devices, asks for confirmation, then makes one call
 * per device (a few at a time) and shows each device's outcome as it arrives; one device failing
 * does not stop the others.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { MAX_TAG_LENGTH, type IsolationType, type OperationId, type ScanType } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { notAllowedText } from '../messages.js';
import { labelOf } from '../labels.js';
import { actionCommandLabel, errorText } from '../format.js';

export interface SelectedDevice {
  id: string;
  computerDnsName: string;
}

export type BulkKind = 'tag' | 'scan' | 'isolate';

const BULK: Record<BulkKind, { label: string; operation: OperationId }> = {
  tag: { label: 'Add tag', operation: 'addOrRemoveTag' },
  scan: { label: actionCommandLabel('RunAntiVirusScan'), operation: 'runAntiVirusScan' },
  isolate: { label: actionCommandLabel('Isolate'), operation: 'isolate' },
};

/** How many devices are asked at once: quick for a page of devices, gentle on the server's rate limits. */
const CONCURRENCY = 4;

type Outcome = { state: 'waiting' } | { state: 'running' } | { state: 'done'; text: string } | { state: 'failed'; text: string };

export function BulkBar({ selected, onClear, onDone }: { selected: SelectedDevice[]; onClear(): void; onDone(): void }) {
  const { me } = useApp();
  const [open, setOpen] = useState<BulkKind>();
  if (selected.length === 0) return null;
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected devices">
      <span aria-live="polite">
        {selected.length} {selected.length === 1 ? 'device' : 'devices'} selected
      </span>
      {(Object.keys(BULK) as BulkKind[]).map((kind) => {
        const allowed = can(me, BULK[kind].operation);
        return (
          <button key={kind} type="button" disabled={!allowed} title={allowed ? undefined : notAllowedText(BULK[kind].operation)} onClick={() => setOpen(kind)}>
            {BULK[kind].label}
          </button>
        );
      })}
      <button type="button" onClick={onClear}>
        Clear selection
      </button>
      {open && (
        <BulkDialog
          kind={open}
          devices={selected}
          onClose={(ran) => {
            setOpen(undefined);
            if (ran) onDone();
          }}
        />
      )}
    </div>
  );
}

function BulkDialog({ kind, devices, onClose }: { kind: BulkKind; devices: SelectedDevice[]; onClose(ran: boolean): void }) {
  const { client } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [comment, setComment] = useState('');
  const [tag, setTag] = useState('');
  const [scanType, setScanType] = useState<ScanType>('Quick');
  const [isolationType, setIsolationType] = useState<IsolationType>('Full');
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>();
  const [running, setRunning] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const one = async (device: SelectedDevice): Promise<string> => {
    if (kind === 'tag') {
      await client.tagMachine(device.id, tag.trim(), 'Add');
      return `Tag “${tag.trim()}” added`;
    }
    const action = kind === 'scan' ? await client.runAntiVirusScan(device.id, comment.trim(), scanType) : await client.isolate(device.id, comment.trim(), isolationType);
    return `${labelOf('actionType', action.type)} submitted (${labelOf('actionStatus', action.status)})`;
  };

  const run = async (event: React.FormEvent) => {
    event.preventDefault();
    setRunning(true);
    setOutcomes(Object.fromEntries(devices.map((d) => [d.id, { state: 'waiting' } as Outcome])));
    const set = (deviceId: string, outcome: Outcome) => setOutcomes((o) => ({ ...o, [deviceId]: outcome }));
    const queue = [...devices];
    const worker = async () => {
      for (let device = queue.shift(); device; device = queue.shift()) {
        set(device.id, { state: 'running' });
        try {
          set(device.id, { state: 'done', text: await one(device) });
        } catch (err) {
          set(device.id, { state: 'failed', text: errorText(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, devices.length) }, worker));
    setRunning(false);
  };

  const values = outcomes ? Object.values(outcomes) : [];
  const finished = outcomes !== undefined && !running;
  const failed = values.filter((o) => o.state === 'failed').length;
  const ready = kind === 'tag' ? tag.trim() !== '' : comment.trim() !== '';
  const title = `${BULK[kind].label} on ${devices.length} ${devices.length === 1 ? 'device' : 'devices'}`;

  return (
    <dialog ref={ref} className="dialog bulk-dialog" aria-labelledby={`${id}-title`} onClose={() => onClose(outcomes !== undefined)}>
      <form onSubmit={run}>
        <h2 id={`${id}-title`}>{title}</h2>
        <ul className="bulk-devices" aria-label="Devices">
          {devices.map((d) => {
            const o = outcomes?.[d.id];
            return (
              <li key={d.id} data-device={d.computerDnsName} data-outcome={o?.state ?? 'waiting'}>
                <span className="bulk-name">{d.computerDnsName}</span>
                {o && <span className={`bulk-outcome bulk-${o.state}`}>{o.state === 'waiting' ? 'Waiting' : o.state === 'running' ? 'Working…' : o.state === 'failed' ? `Failed: ${o.text}` : o.text}</span>}
              </li>
            );
          })}
        </ul>
        {!outcomes && kind === 'tag' && (
          <>
            <label htmlFor={`${id}-tag`}>Tag</label>
            <input id={`${id}-tag`} value={tag} onChange={(e) => setTag(e.target.value)} required maxLength={MAX_TAG_LENGTH} autoFocus />
          </>
        )}
        {!outcomes && kind === 'scan' && (
          <fieldset>
            <legend>Scan type</legend>
            {(['Quick', 'Full'] as const).map((t) => (
              <label key={t} className="inline">
                <input type="radio" name="bulk-scan" checked={scanType === t} onChange={() => setScanType(t)} /> {labelOf('scanType', t)}
              </label>
            ))}
          </fieldset>
        )}
        {!outcomes && kind === 'isolate' && (
          <fieldset>
            <legend>Isolation type</legend>
            {(['Full', 'Selective'] as const).map((t) => (
              <label key={t} className="inline">
                <input type="radio" name="bulk-isolation" checked={isolationType === t} onChange={() => setIsolationType(t)} /> {labelOf('isolationType', t)}
              </label>
            ))}
          </fieldset>
        )}
        {!outcomes && kind !== 'tag' && (
          <>
            <label htmlFor={`${id}-comment`}>Comment (required)</label>
            <textarea id={`${id}-comment`} rows={3} required value={comment} onChange={(e) => setComment(e.target.value)} autoFocus />
          </>
        )}
        {finished && (
          <p role="status" className={failed > 0 ? 'warning' : 'notice'}>
            {failed === 0 ? `Done on all ${values.length} devices.` : `${values.length - failed} of ${values.length} done; ${failed} failed.`}
          </p>
        )}
        <div className="dialog-buttons">
          {outcomes ? (
            <button type="button" className="primary" disabled={running} onClick={() => ref.current?.close()}>
              {running ? 'Working…' : 'Close'}
            </button>
          ) : (
            <>
              <button type="button" onClick={() => ref.current?.close()}>
                Cancel
              </button>
              <button type="submit" className="primary" disabled={!ready}>
                {BULK[kind].label}
              </button>
            </>
          )}
        </div>
      </form>
    </dialog>
  );
}
