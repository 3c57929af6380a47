/** Previous/next paging over `$top`/`$skip`, with the total from `$count=true`. */
export function Pager(props: { skip: number; top: number; count: number | undefined; shown: number; onChange(skip: number): void; label: string }) {
  const { skip, top, count, shown } = props;
  const first = shown === 0 ? 0 : skip + 1;
  const last = skip + shown;
  const hasNext = count !== undefined ? last < count : shown === top;
  return (
    <nav className="pager" aria-label={`${props.label} pages`}>
      <span aria-live="polite">
        {first}–{last}
        {count !== undefined ? ` of ${count.toLocaleString()}` : ''}
      </span>
      <button type="button" disabled={skip === 0} onClick={() => props.onChange(Math.max(0, skip - top))}>
        Previous
      </button>
      <button type="button" disabled={!hasNext} onClick={() => props.onChange(skip + top)}>
        Next
      </button>
    </nav>
  );
}
