// An action that asks first: ask(target) opens the confirmation (clearing any earlier error),
// confirming runs the mutation on that target, and success closes it.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';

export function useConfirmedAction<T, R>({ mutationFn, onSuccess }: { mutationFn: (target: T) => Promise<R>; onSuccess?: (result: R, target: T) => void }) {
  const [target, setTarget] = useState<T | null>(null);
  const mutation = useMutation({
    mutationFn,
    onSuccess: (result: R, done: T) => {
      setTarget(null);
      onSuccess?.(result, done);
    },
  });
  return {
    target,
    ask: (next: T) => {
      mutation.reset();
      setTarget(next);
    },
    /** The busy, error, confirm and cancel props of a <ConfirmDialog>. */
    confirmProps: {
      isBusy: mutation.isPending,
      error: mutation.error,
      onConfirm: () => {
        if (target !== null) mutation.mutate(target);
      },
      onCancel: () => setTarget(null),
    },
  };
}
