// A data table in a focusable, scrollable region named by its caption. Columns that are
// false (such as Actions for people without the permission) are left out.
import type { ReactNode } from 'react';

export function DataTable({
  id,
  caption,
  columns,
  className = 'table',
  wrapClassName = 'table-wrap',
  children,
}: {
  id: string;
  caption: ReactNode;
  columns: (string | false)[];
  className?: string;
  wrapClassName?: string;
  children: ReactNode;
}) {
  const captionId = `${id}-caption`;
  return (
    <div className={wrapClassName} role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className={className}>
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            {columns.filter((c) => c !== false).map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
