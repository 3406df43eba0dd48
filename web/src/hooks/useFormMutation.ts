// The mutation behind a form: its field errors (keyed by field path) and a submit handler.
import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { fieldErrorsOf } from '../components/FormFields.js';

export function useFormMutation<TData>(options: UseMutationOptions<TData, Error, void>) {
  const mutation = useMutation(options);
  const errors = fieldErrorsOf(mutation.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    mutation.mutate();
  }
  return { mutation, errors, submit };
}
