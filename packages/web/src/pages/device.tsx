/**
 * Device page: identity, addresses, tags, health, isolation and restriction state, a warning when
 * the agent scans with the built-in signatures only, tags as removable chips, the device timeline, and the row of
 * response actions from the seed document. Each action asks for a comment and a confirmation;
 * toggling buttons follow the device's state (Isolate ↔ Release, Restrict ↔ Remove restrictions);
 * buttons the person's roles do not allow are disabled with the reason as their title.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ACTION_CATALOG, isFinalStatus, machineEffectOf, parametersFromScope, type ActionType, type IsolationType, type Machine, type MachineAction, type OperationId, type ScanType } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { notAllowedText } from '../messages.js';
import { labelOf } from '../labels.js';
import { href } from '../router.js';
import { actionCommandLabel, errorText, formatTime } from '../format.js';
import { HealthBadge } from '../components/status-badge.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { ActionList } from '../components/action-list.js';
import { InvestigationList } from '../components/investigations.js';
import { SignatureWarning, signatureSourcesText } from '../components/signature-warning.js';
import { CreatedActionNotice } from '../components/created-action-notice.js';
import { TagEditor } from '../components/tag-editor.js';
import { DeviceTimeline } from '../components/device-timeline.js';
import { useMachineStream } from '../live.js';

type DialogKind = 'investigate' | 'collect' | 'scan' | 'restrict' | 'unrestrict' | 'isolate' | 'unisolate';

/** The action type each response-action dialog creates (its button and title are the catalog's). */
const DIALOG_ACTION = {
  collect: 'CollectInvestigationPackage',
  scan: 'RunAntiVirusScan',
  restrict: 'RestrictCodeExecution',
  unrestrict: 'UnrestrictCodeExecution',
  isolate: 'Isolate',
  unisolate: 'Unisolate',
} as const satisfies Partial<Record<DialogKind, ActionType>>;
type ActionDialogKind = keyof typeof DIALOG_ACTION;
const titleOf = (kind: ActionDialogKind) => actionCommandLabel(DIALOG_ACTION[kind]);

export function DevicePage({ id }: { id: string }) {
  const { client, me } = useApp();
  const [machine, setMachine] = useState<Machine>();
  const [error, setError] = useState<string>();
  const [dialog, setDialog] = useState<DialogKind>();
  const [notice, setNotice] = useState<string>();
  const [created, setCreated] = useState<MachineAction>();
  const [investigated, setInvestigated] = useState(0);
  const seen = useRef(new Map<string, MachineAction>());
  const [timelineRefresh, setTimelineRefresh] = useState(0);
  const bumpTimeline = useCallback(() => setTimelineRefresh((n) => n + 1), []);

  const reload = useCallback(() => {
    client.getMachine(id).then(
      (m) => (setMachine(m), setError(undefined)),
      (err: unknown) => setError(errorText(err)),
    );
  }, [client, id]);
  useEffect(reload, [reload]);

  // Health, tags, isolation and restriction as the server records their changes (an agent going
  // silent or coming back), without a reload.
  useMachineStream(id, (m) => {
    setMachine(m);
    bumpTimeline();
  });

  // A finished action may have changed the device (isolated, restricted, offboarded). The server
  // updates the device record just after the action turns Succeeded, so apply the same effect
  // (protocol machineEffectOf, from the parameters the wire scope carries) at once, so the buttons
  // toggle without waiting, and re-read the record a moment later.
  const onAction = useCallback(
    (action: MachineAction) => {
      // The notice about the action this page created follows it (Pending → Failed, with why). An
      // event can arrive before the POST that created the action answers, so the newest is kept.
      seen.current.set(action.id, action);
      setCreated((c) => (c && c.id === action.id ? action : c));
      if (action.machineId === id && isFinalStatus(action.status)) setInvestigated((n) => n + 1);
      if (action.machineId === id) bumpTimeline();
      if (action.machineId !== id || action.status !== 'Succeeded') return;
      setMachine((m) => (m ? { ...m, ...machineEffectOf(action.type, parametersFromScope(action.type, action.scope)) } : m));
      setTimeout(reload, 1000);
    },
    [id, reload, bumpTimeline],
  );

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!machine) return <p className="loading">Loading…</p>;
  const isolated = machine.isolationState !== 'NotIsolated';

  return (
    <>
      <section aria-labelledby="device-title" className="device">
        <p className="crumbs">
          <a href={href({ page: 'devices' })}>Devices</a> ›
        </p>
        <h1 id="device-title">{machine.computerDnsName}</h1>
        <ResponseActions machine={machine} isolated={isolated} onOpen={setDialog} />
        <SignatureWarning sources={machine.avSignatureSources} />
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        {created && <CreatedActionNotice action={created} machine={machine} />}
        <dl className="facts">
          <Fact label="Device id">
            <code>{machine.id}</code>
          </Fact>
          <Fact label="OS">
            {labelOf('osPlatform', machine.osPlatform)} {machine.osVersion ?? ''} {machine.osArchitecture}
          </Fact>
          <Fact label="Health">
            <HealthBadge health={machine.healthStatus} />
          </Fact>
          <Fact label="Last seen">{formatTime(machine.lastSeen)}</Fact>
          <Fact label="First seen">{formatTime(machine.firstSeen)}</Fact>
          <Fact label="IP address">{machine.lastIpAddress ?? '—'}</Fact>
          <Fact label="External IP">{machine.lastExternalIpAddress ?? '—'}</Fact>
          <Fact label="Isolation">
            <span className={isolated ? 'badge state-on' : 'badge'}>{labelOf('isolation', machine.isolationState)}</span>
          </Fact>
          <Fact label="App execution">
            <span className={machine.isRestricted ? 'badge state-on' : 'badge'}>{machine.isRestricted ? 'Restricted' : 'Not restricted'}</span>
          </Fact>
          <Fact label="Agent version">{machine.agentVersion ?? '—'}</Fact>
          <Fact label="AV signatures">{signatureSourcesText(machine.avSignatureSources)}</Fact>
          <Fact label="Onboarding">{labelOf('onboarding', machine.onboardingStatus)}</Fact>
          <Fact label="Tags">
            <TagEditor
              machine={machine}
              onChanged={(m, message) => {
                setMachine(m);
                setNotice(message);
                bumpTimeline();
              }}
            />
          </Fact>
        </dl>
        {machine.ipAddresses.length > 0 && (
          <details>
            <summary>Network adapters ({machine.ipAddresses.length})</summary>
            <ul>
              {machine.ipAddresses.map((a, i) => (
                <li key={i}>
                  {a.ipAddress} · {a.macAddress} · {a.type} · {a.operationalStatus}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <DeviceTimeline machineId={machine.id} refresh={timelineRefresh} />
      <ActionList machineId={machine.id} title="Recent actions on this device" onAction={onAction} created={created} />
      {can(me, 'listInvestigations') && <InvestigationList machineId={machine.id} refresh={investigated} />}
      {dialog && (
        <ActionDialog
          kind={dialog}
          machine={machine}
          onDone={(message, changed, action) => {
            setNotice(message || undefined);
            if (changed) setMachine(changed);
            if (action) setCreated(newest(seen.current.get(action.id), action));
            if (dialog === 'investigate') setInvestigated((n) => n + 1);
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </>
  );
}

function newest(a: MachineAction | undefined, b: MachineAction): MachineAction {
  return a && a.lastUpdateDateTimeUtc > b.lastUpdateDateTimeUtc ? a : b;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ResponseActions({ machine, isolated, onOpen }: { machine: Machine; isolated: boolean; onOpen(kind: DialogKind): void }) {
  const { me } = useApp();
  const button = (label: string, operation: OperationId, kind: DialogKind) => {
    const allowed = can(me, operation);
    return (
      <button type="button" disabled={!allowed} title={allowed ? undefined : notAllowedText(operation)} onClick={() => onOpen(kind)}>
        {label}
      </button>
    );
  };
  const actionButton = (kind: ActionDialogKind) => button(titleOf(kind), ACTION_CATALOG[DIALOG_ACTION[kind]].operation, kind);
  const liveAllowed = can(me, 'openLiveSession');
  return (
    <div className="response-actions" role="toolbar" aria-label="Response actions">
      {button('Initiate automated investigation', 'startInvestigation', 'investigate')}
      {liveAllowed ? (
        <a className="button" href={href({ page: 'console', id: machine.id })}>
          Initiate live response session
        </a>
      ) : (
        <button type="button" disabled title={notAllowedText('openLiveSession')}>
          Initiate live response session
        </button>
      )}
      {actionButton('collect')}
      {actionButton('scan')}
      {machine.isRestricted ? actionButton('unrestrict') : actionButton('restrict')}
      {isolated ? actionButton('unisolate') : actionButton('isolate')}
      <a className="button" href={href({ page: 'actions', machineId: machine.id })}>
        Action center
      </a>
    </div>
  );
}

function ActionDialog({ kind, machine, onDone, onClose }: { kind: DialogKind; machine: Machine; onDone(message: string, changed?: Machine, action?: MachineAction): void; onClose(): void }) {
  const { client } = useApp();
  const [isolationType, setIsolationType] = useState<IsolationType>('Full');
  const [scanType, setScanType] = useState<ScanType>('Quick');
  const name = machine.computerDnsName;
  const submitted = (a: MachineAction) => onDone('', undefined, a);

  switch (kind) {
    case 'isolate':
      return (
        <ConfirmDialog
          title={titleOf('isolate')}
          description={<p>Cuts {name} off the network except for its connection to Cordon. You can release it at any time.</p>}
          onConfirm={async (c) => submitted(await client.isolate(machine.id, c, isolationType))}
          onClose={onClose}
        >
          <fieldset>
            <legend>Isolation type</legend>
            <label className="inline">
              <input type="radio" name="isolation" value="Full" checked={isolationType === 'Full'} onChange={() => setIsolationType('Full')} /> Full
            </label>
            <label className="inline">
              <input type="radio" name="isolation" value="Selective" checked={isolationType === 'Selective'} onChange={() => setIsolationType('Selective')} /> Selective
            </label>
          </fieldset>
        </ConfirmDialog>
      );
    case 'unisolate':
      return <ConfirmDialog title={titleOf('unisolate')} description={<p>Reconnects {name} to the network.</p>} onConfirm={async (c) => submitted(await client.unisolate(machine.id, c))} onClose={onClose} />;
    case 'restrict':
      return (
        <ConfirmDialog
          title={titleOf('restrict')}
          description={<p>Only trusted (package-managed) programs may run on {name} until the restriction is removed.</p>}
          onConfirm={async (c) => submitted(await client.restrictCodeExecution(machine.id, c))}
          onClose={onClose}
        />
      );
    case 'unrestrict':
      return <ConfirmDialog title={titleOf('unrestrict')} description={<p>Lets every program run on {name} again.</p>} onConfirm={async (c) => submitted(await client.unrestrictCodeExecution(machine.id, c))} onClose={onClose} />;
    case 'scan':
      return (
        <ConfirmDialog title={titleOf('scan')} onConfirm={async (c) => submitted(await client.runAntiVirusScan(machine.id, c, scanType))} onClose={onClose}>
          <fieldset>
            <legend>Scan type</legend>
            <label className="inline">
              <input type="radio" name="scan" value="Quick" checked={scanType === 'Quick'} onChange={() => setScanType('Quick')} /> Quick
            </label>
            <label className="inline">
              <input type="radio" name="scan" value="Full" checked={scanType === 'Full'} onChange={() => setScanType('Full')} /> Full
            </label>
          </fieldset>
        </ConfirmDialog>
      );
    case 'collect':
      return (
        <ConfirmDialog
          title={titleOf('collect')}
          description={<p>Collects the state of {name} into a zip file. When the action succeeds, download the package from the Action center.</p>}
          onConfirm={async (c) => submitted(await client.collectInvestigationPackage(machine.id, c))}
          onClose={onClose}
        />
      );
    case 'investigate':
      return (
        <ConfirmDialog
          title="Initiate automated investigation"
          onConfirm={async (c) => {
            await client.startInvestigation(machine.id, c);
            onDone('Automated investigation started.');
          }}
          onClose={onClose}
        />
      );
  }
}
