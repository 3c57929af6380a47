/**
 * The creation-time filter: presets (last hour, 24 hours, 7 days, 30 days) or a custom from–to in
 * the viewer's time zone, which is named next to it.
 */
import { SINCE_PRESETS, timeZoneText } from '../action-filters.js';

export function TimeRangeFilter(props: { since: string; from: string; to: string; onChange(patch: { since?: string; from?: string; to?: string }): void }) {
  const { since, from, to, onChange } = props;
  return (
    <>
      <label>
        Submitted
        <select value={since} onChange={(e) => onChange(e.target.value === 'custom' ? { since: 'custom' } : { since: e.target.value, from: '', to: '' })}>
          <option value="">Any time</option>
          {SINCE_PRESETS.map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
          <option value="custom">Custom range…</option>
        </select>
      </label>
      {since === 'custom' && (
        <fieldset className="time-range">
          <legend>Submitted between</legend>
          <label>
            From
            <input type="datetime-local" value={from} max={to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
          </label>
          <label>
            To
            <input type="datetime-local" value={to} min={from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
          </label>
          <span className="muted tz">{timeZoneText()}</span>
        </fieldset>
      )}
      {since && since !== 'custom' && <span className="muted tz">Times in {timeZoneText()}</span>}
    </>
  );
}
