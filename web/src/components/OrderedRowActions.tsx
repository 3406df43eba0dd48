// The actions cell of an ordered list's row (rules tried from the top): Move up / Move down
// (none past either end), any other buttons (such as Edit), then Delete, each naming the row
// for screen readers. See useMoveInList for the order sent and the focus kept.
import type { ReactNode } from 'react';

export type MoveDirection = 'up' | 'down';

export function OrderedRowActions({ id, name, index, count, buttonId, onMove, onDelete, children }: {
  id: string;
  name: string;
  index: number;
  count: number;
  buttonId: (id: string, direction: MoveDirection) => string;
  onMove: (by: number) => void;
  onDelete: () => void;
  children?: ReactNode;
}) {
  const hidden = <span className="visually-hidden"> {name}</span>;
  return (
    <div className="button-row actions">
      {index > 0 ? <button type="button" id={buttonId(id, 'up')} className="button button-small" onClick={() => onMove(-1)}>Move up{hidden}</button> : null}
      {index < count - 1 ? <button type="button" id={buttonId(id, 'down')} className="button button-small" onClick={() => onMove(1)}>Move down{hidden}</button> : null}
      {children}
      <button type="button" className="button button-small button-danger" onClick={onDelete}>Delete{hidden}</button>
    </div>
  );
}
