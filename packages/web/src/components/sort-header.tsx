/** A sortable column header: a button inside <th aria-sort>, so keyboard and screen readers get it. */
export interface Sort {
  field: string;
  direction: 'asc' | 'desc';
}

export function SortHeader(props: { field: string; label: string; sort: Sort; onSort(sort: Sort): void }) {
  const active = props.sort.field === props.field;
  const ariaSort = active ? (props.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
  const next: Sort = { field: props.field, direction: active && props.sort.direction === 'asc' ? 'desc' : 'asc' };
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button type="button" className="sort" onClick={() => props.onSort(next)}>
        {props.label}
        <span aria-hidden="true">{active ? (props.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
}
