/**
 * Settings: the tenant's response settings (`GET/PUT /api/cordon/settings`, docs/extensions.md),
 * edited as lists with add and remove, saved as a whole. A refused entry (400 InvalidInput names
 * the field and the entry) is shown next to that field. The API has no ETag, so Save first reads
 * the settings again: when their lastUpdateTime moved since they were loaded, someone else saved
 * meanwhile, and the person chooses between replacing that and loading it.
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { SETTINGS_LIMITS, type RemediationLevel, type TenantSettings } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { errorText, formatTime } from '../format.js';
import { labelOf } from '../labels.js';

type Draft = Omit<TenantSettings, 'lastUpdateTime'>;
type FieldName = 'isolationExceptions' | 'executionAllowList' | 'scanExclusions' | 'scanSignatures.hashes' | 'scanSignatures.yara' | 'scanCpuPercent' | 'quarantineSearchPaths' | 'remediationLevel';

const toDraft = (s: TenantSettings): Draft => ({
  isolationExceptions: [...s.isolationExceptions],
  executionAllowList: [...s.executionAllowList],
  scanExclusions: [...s.scanExclusions],
  scanSignatures: { hashes: [...s.scanSignatures.hashes], yara: [...s.scanSignatures.yara] },
  scanCpuPercent: s.scanCpuPercent,
  quarantineSearchPaths: [...s.quarantineSearchPaths],
  remediationLevel: s.remediationLevel,
});

/** The field a refusal names (`Invalid isolationExceptions entry '…': …`), when it names one. */
export function fieldOfError(message: string): FieldName | undefined {
  const named = /^Invalid ([A-Za-z.]+) entry /.exec(message)?.[1];
  if (named) return named as FieldName;
  if (/^YARA rules/.test(message)) return 'scanSignatures.yara';
  return undefined;
}

/** The refusal as people read it beside the field: the entry and why, without the wire field name. */
export function refusalText(message: string): string {
  const m = /^Invalid [A-Za-z.]+ entry ('.*'): (.*)$/s.exec(message);
  return m ? `${m[1]} was refused: ${m[2]}.` : message;
}

export function SettingsPage() {
  const { client, me } = useApp();
  const [loaded, setLoaded] = useState<TenantSettings>();
  const [draft, setDraft] = useState<Draft>();
  const [loadError, setLoadError] = useState<string>();
  const [fieldError, setFieldError] = useState<{ field: FieldName | undefined; message: string }>();
  const [conflict, setConflict] = useState<TenantSettings>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();
  const writable = can(me, 'updateCordonSettings');

  const take = useCallback((s: TenantSettings) => {
    setLoaded(s);
    setDraft(toDraft(s));
    setConflict(undefined);
    setFieldError(undefined);
  }, []);
  useEffect(() => {
    client.getCordonSettings().then(take, (err: unknown) => setLoadError(errorText(err)));
  }, [client, take]);

  if (loadError) return <p role="alert" className="error">{loadError}</p>;
  if (!loaded || !draft) return <p className="loading">Loading…</p>;
  const dirty = JSON.stringify(draft) !== JSON.stringify(toDraft(loaded));

  const put = async () => {
    setBusy(true);
    setSaved(undefined);
    setFieldError(undefined);
    try {
      const stored = await client.updateCordonSettings(draft);
      take(stored);
      setSaved('Settings saved. Devices receive them within seconds.');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const field = fieldOfError(message);
      setFieldError({ field, message: field ? refusalText(message) : errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    setBusy(true);
    try {
      const current = await client.getCordonSettings();
      if (current.lastUpdateTime !== loaded.lastUpdateTime) {
        setConflict(current);
        return;
      }
    } catch (err) {
      setFieldError({ field: undefined, message: errorText(err) });
      return;
    } finally {
      setBusy(false);
    }
    await put();
  };
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(undefined);
    setDraft({ ...draft, [key]: value });
  };
  const errorFor = (field: FieldName) => (fieldError?.field === field ? fieldError.message : undefined);

  return (
    <section aria-labelledby="settings-title" className="settings">
      <h1 id="settings-title">Settings</h1>
      <p className="muted">
        Response settings of your organisation, sent to every device. Last updated: {loaded.lastUpdateTime ? formatTime(loaded.lastUpdateTime) : 'never (defaults)'}.
      </p>
      {!writable && (
        <p role="note" className="notice">
          You can view these settings but not change them: changing them needs the “Manage security settings” role.
        </p>
      )}
      {conflict && (
        <div role="alert" className="notice conflict">
          <p>
            Someone else saved these settings at {formatTime(conflict.lastUpdateTime)}, after you opened this page. Saving now replaces their changes with yours.
          </p>
          <button type="button" onClick={() => void put()} disabled={busy}>
            Save mine anyway
          </button>{' '}
          <button type="button" onClick={() => take(conflict)} disabled={busy}>
            Discard mine and load theirs
          </button>
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset disabled={!writable || busy} className="settings-fields">
          <legend className="visually-hidden">Response settings</legend>
          <ListField
            label="Isolation exceptions"
            help="Addresses an isolated device may still reach: networks (10.0.0.0/8), host:port or [IPv6]:port."
            items={draft.isolationExceptions}
            max={SETTINGS_LIMITS.isolationExceptions}
            onChange={(v) => set('isolationExceptions', v)}
            error={errorFor('isolationExceptions')}
            readOnly={!writable}
          />
          <ListField
            label="Execution allow-list"
            help="Programs that may run while app execution is restricted: absolute paths or SHA-256 hashes."
            items={draft.executionAllowList}
            max={SETTINGS_LIMITS.executionAllowList}
            onChange={(v) => set('executionAllowList', v)}
            error={errorFor('executionAllowList')}
            readOnly={!writable}
          />
          <ListField
            label="Scan exclusions"
            help="Folders and files antivirus scans never read (absolute paths, no wildcards)."
            items={draft.scanExclusions}
            max={SETTINGS_LIMITS.scanExclusions}
            onChange={(v) => set('scanExclusions', v)}
            error={errorFor('scanExclusions')}
            readOnly={!writable}
          />
          <ListField
            label="Scan signatures: file hashes"
            help="One ClamAV hash line each: sha256:size:Name (or sha256:*:Name:73 for any size)."
            items={draft.scanSignatures.hashes}
            max={SETTINGS_LIMITS.hashSignatures}
            onChange={(v) => set('scanSignatures', { ...draft.scanSignatures, hashes: v })}
            error={errorFor('scanSignatures.hashes')}
            readOnly={!writable}
          />
          <YaraField rules={draft.scanSignatures.yara} onChange={(v) => set('scanSignatures', { ...draft.scanSignatures, yara: v })} error={errorFor('scanSignatures.yara')} readOnly={!writable} />
          <ListField
            label="Quarantine search paths"
            help="Where stop-and-quarantine looks for a file by its hash (absolute folders)."
            items={draft.quarantineSearchPaths}
            max={SETTINGS_LIMITS.quarantineSearchPaths}
            onChange={(v) => set('quarantineSearchPaths', v)}
            error={errorFor('quarantineSearchPaths')}
            readOnly={!writable}
          />
          <Field label="Scan CPU share (percent)" help="The most CPU a scan may use, 1 to 100." error={errorFor('scanCpuPercent')}>
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                type="number"
                min={1}
                max={100}
                required
                value={draft.scanCpuPercent}
                onChange={(e) => set('scanCpuPercent', Number(e.target.value))}
              />
            )}
          </Field>
          <fieldset className="setting">
            <legend className="setting-label">Automated remediation</legend>
            <p className="muted small">What an automated investigation may do on its own when it finds something.</p>
            {(['Full', 'None'] as RemediationLevel[]).map((level) => (
              <label key={level} className="inline">
                <input type="radio" name="remediation" checked={draft.remediationLevel === level} onChange={() => set('remediationLevel', level)} />{' '}
                {labelOf('remediationLevel', level)}
              </label>
            ))}
          </fieldset>
        </fieldset>
        {fieldError && fieldError.field === undefined && (
          <p role="alert" className="error">
            {fieldError.message}
          </p>
        )}
        {fieldError?.field && (
          <p role="alert" className="error">
            Not saved: one entry was refused (see the message by the field).
          </p>
        )}
        {saved && (
          <p role="status" className="notice">
            {saved}
          </p>
        )}
        {writable && (
          <div className="settings-buttons">
            <button type="submit" className="primary" disabled={busy || !dirty}>
              Save
            </button>
            <button type="button" disabled={busy || !dirty} onClick={() => take(loaded)}>
              Discard changes
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function Field({ label, help, error, children }: { label: string; help: string; error: string | undefined; children(id: string, describedBy: string): ReactNode }) {
  const id = useId();
  return (
    <div className="setting">
      <label htmlFor={id} className="setting-label">
        {label}
      </label>
      <p id={`${id}-help`} className="muted small">
        {help}
      </p>
      {children(id, error ? `${id}-help ${id}-error` : `${id}-help`)}
      {error && (
        <p id={`${id}-error`} className="error field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function ListField({ label, help, items, max, onChange, error, readOnly }: { label: string; help: string; items: string[]; max: number; onChange(items: string[]): void; error: string | undefined; readOnly: boolean }) {
  const [text, setText] = useState('');
  const id = useId();
  const add = () => {
    const fresh = text.split(/[\n,]/).map((t) => t.trim()).filter((t) => t !== '' && !items.includes(t));
    if (fresh.length > 0) onChange([...items, ...new Set(fresh)]);
    setText('');
  };
  return (
    <fieldset className="setting" aria-describedby={error ? `${id}-help ${id}-error` : `${id}-help`}>
      <legend className="setting-label">{label}</legend>
      <p id={`${id}-help`} className="muted small">
        {help}
      </p>
      {items.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="setting-list">
          {items.map((item) => (
            <li key={item}>
              <code>{item}</code>
              {!readOnly && (
                <button type="button" className="chip-remove" aria-label={`Remove ${item}`} onClick={() => onChange(items.filter((i) => i !== item))}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
      <div className="setting-add">
        <label htmlFor={`${id}-add`} className="visually-hidden">
          Add to {label}
        </label>
        <input
          id={`${id}-add`}
          value={text}
          placeholder="Add an entry (Enter)"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add} disabled={text.trim() === '' || items.length >= max}>
          Add
        </button>
      </div>
      )}
      {error && (
        <p id={`${id}-error`} className="error field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function YaraField({ rules, onChange, error, readOnly }: { rules: string[]; onChange(rules: string[]): void; error: string | undefined; readOnly: boolean }) {
  const id = useId();
  return (
    <fieldset className="setting" aria-describedby={error ? `${id}-help ${id}-error` : `${id}-help`}>
      <legend className="setting-label">Scan signatures: YARA rules</legend>
      <p id={`${id}-help`} className="muted small">
        One rule text per box (at most 64 KiB each).
      </p>
      {rules.map((rule, i) => (
        <div key={i} className="yara-rule">
          <label htmlFor={`${id}-${i}`} className="visually-hidden">
            YARA rule {i + 1}
          </label>
          <textarea id={`${id}-${i}`} rows={5} value={rule} maxLength={SETTINGS_LIMITS.yaraRuleBytes} onChange={(e) => onChange(rules.map((r, j) => (j === i ? e.target.value : r)))} />
          {!readOnly && (
            <button type="button" onClick={() => onChange(rules.filter((_, j) => j !== i))} aria-label={`Remove YARA rule ${i + 1}`}>
              Remove
            </button>
          )}
        </div>
      ))}
      {rules.length === 0 && <p className="muted small">None.</p>}
      {!readOnly && (
      <button type="button" onClick={() => onChange([...rules, 'rule new_rule {\n  strings:\n    $a = "text"\n  condition:\n    $a\n}'])} disabled={rules.length >= SETTINGS_LIMITS.yaraRules}>
        Add a YARA rule
      </button>
      )}
      {error && (
        <p id={`${id}-error`} className="error field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
