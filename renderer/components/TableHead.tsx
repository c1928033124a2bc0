/** A column of a table: its header, the class that sizes it, and whether only screen readers read the header. */
export interface Column {
  label: string;
  className?: string;
  hidden?: boolean;
}

/**
 * The head row of the app's tables: every header a column header (`scope="col"`), so a screen
 * reader names each cell by its column; an actions column's header is read, not shown.
 */
export function TableHead({ columns, rowIndex }: { columns: readonly Column[]; rowIndex?: number }) {
  return (
    <thead>
      <tr aria-rowindex={rowIndex}>
        {columns.map((c) => (
          <th key={c.label} scope="col" className={c.className}>
            {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
