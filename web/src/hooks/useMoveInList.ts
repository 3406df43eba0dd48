// Moving an item of an ordered list (rules tried from the top) up or down by its buttons:
// sends the whole new order, then keeps focus on the moved item once the reordered list has
// arrived: on its button in the direction moved, else the other one (the top item has no
// "Move up").
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { MoveDirection as Direction } from '../components/OrderedRowActions.js';

export function useMoveInList<T extends { id: string }>({ ids, buttonId, save, onMoved }: {
  /** The ids in their current order, as last loaded. */
  ids: string[];
  /** The id of an item's Move up / Move down button. */
  buttonId: (id: string, direction: Direction) => string;
  save: (ids: string[]) => Promise<unknown>;
  onMoved: (item: T) => void;
}) {
  const [moved, setMoved] = useState<{ id: string; by: number; order: string } | null>(null);
  const mutation = useMutation({
    mutationFn: ({ next }: { next: string[]; item: T; by: number }) => save(next),
    onSuccess: (_r, { next, item, by }) => {
      onMoved(item);
      setMoved({ id: item.id, by, order: next.join() });
    },
  });
  const order = ids.join();
  useEffect(() => {
    // Focus, then forget, so later refreshes leave focus alone.
    if (!moved || moved.order !== order) return;
    setMoved(null);
    const same = document.getElementById(buttonId(moved.id, moved.by < 0 ? 'up' : 'down'));
    const other = document.getElementById(buttonId(moved.id, moved.by < 0 ? 'down' : 'up'));
    (same ?? other)?.focus();
  }, [moved, order, buttonId]);
  function move(item: T, by: number) {
    const next = [...ids];
    const i = next.indexOf(item.id);
    next.splice(i, 1);
    next.splice(i + by, 0, item.id);
    mutation.mutate({ next, item, by });
  }
  return { move, error: mutation.error, isPending: mutation.isPending };
}
