/**
 * A labelled filter `<select>` whose first choice, "Any", clears the filter. Options are either
 * plain values or `[value, label]` pairs.
 */
export function FilterSelect(props: {
  label: string;
  value: string;
  onChange: (e: React.ChangeEvent<HTMLSelectElement>) => void;
  options: readonly (string | readonly [value: string, label: string])[];
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={props.onChange}>
        <option value="">Any</option>
        {props.options.map((o) => {
          const [value, label] = typeof o === 'string' ? [o, o] : o;
          return (
            <option key={value} value={value}>
              {label}
            </option>
          );
        })}
      </select>
    </label>
  );
}
