/**
 * The device's tags as chips: × on a chip removes that tag, the input adds one or several
 * (separated by commas, added on Enter or with the button). Only real changes are sent and
 * announced: a tag the device already has is not added again, one it lacks is not "removed".
 */
import { useState } from 'react';
import type { Machine } from '@cordon/protocol';
import { useApp } from '../app-context.js';
import { can } from '../session.js';
import { errorText } from '../format.js';
import { notAllowedText } from '../messages.js';

/** The tags typed in `text` (comma-separated, trimmed, each once) that `current` lacks. */
export function newTags(text: string, current: readonly string[]): string[] {
  const have = new Set(current);
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t !== ''))].filter((t) => !have.has(t));
}

export function TagEditor({ machine, onChanged }: { machine: Machine; onChanged(machine: Machine, message: string): void }) {
  const { client, me } = useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const allowed = can(me, 'addOrRemoveTag');

  const add = async () => {
    const tags = newTags(text, machine.machineTags);
    setText('');
    if (tags.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      let changed = machine;
      // The API changes one tag per request (MDE's shape).
      for (const tag of tags) changed = await client.tagMachine(machine.id, tag, 'Add');
      onChanged(changed, tags.length === 1 ? `Tag ${tags[0]} added.` : `Tags ${tags.join(', ')} added.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (tag: string) => {
    if (!machine.machineTags.includes(tag)) return;
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await client.tagMachine(machine.id, tag, 'Remove'), `Tag ${tag} removed.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tag-editor">
      <ul className="tag-chips" aria-label="Tags">
        {machine.machineTags.length === 0 && <li className="muted">No tags</li>}
        {machine.machineTags.map((t) => (
          <li key={t} className="tag">
            {t}
            {allowed && (
              <button type="button" className="chip-remove" aria-label={`Remove tag ${t}`} disabled={busy} onClick={() => void remove(t)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {allowed ? (
        <form
          className="tag-add"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <label htmlFor="tag-add-input" className="visually-hidden">
            Add tags (separate several with commas)
          </label>
          <input id="tag-add-input" value={text} onChange={(e) => setText(e.target.value)} placeholder="tag, another tag" maxLength={2000} disabled={busy} />
          <button type="submit" disabled={busy || newTags(text, machine.machineTags).length === 0}>
            Add
          </button>
        </form>
      ) : (
        <p className="muted small tags-not-allowed">Changing tags: {notAllowedText('addOrRemoveTag')}.</p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
