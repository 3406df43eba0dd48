// Labelled form controls with hints and inline errors, and the error summary shown above a
// form. Field errors come from the API's problem+json (or the same contract schema checked
// in the browser), keyed by field path.
import { useEffect, useRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError, type FieldErrors } from '../api/client.js';

type FieldProps = { id: string; label: ReactNode; error?: string | undefined; hint?: ReactNode };

function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** A field's inline error; the field (or fieldset) names it in aria-describedby. */
export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="field-error">
      <span className="visually-hidden">Error: </span>
      {children}
    </p>
  );
}

function FieldFrame({ id, label, error, hint, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint ? <p id={`${id}-hint`} className="hint">{hint}</p> : null}
      {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
      {children}
    </div>
  );
}

export function TextField({ id, label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
    </FieldFrame>
  );
}

export function TextAreaField({ id, label, error, hint, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
    </FieldFrame>
  );
}

export function SelectField({ id, label, error, hint, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...select}>
        {children}
      </select>
    </FieldFrame>
  );
}

export function fieldErrorsOf(err: unknown): FieldErrors {
  return err instanceof ApiError ? err.fieldErrors : {};
}

/** The error of a field or of anything inside it ("tags" for "tags.2"), for one control holding a list. */
export function errorAt(errors: FieldErrors, field: string): string | undefined {
  return errors[field] ?? Object.entries(errors).find(([k]) => k.startsWith(`${field}.`))?.[1];
}

/**
 * The error summary's targets of a form's fields: each field's label and its input's id, the
 * prefix and the field's path in kebab case ("sms" and accountSid: "sms-account-sid";
 * conditions.wardIds: "…-conditions-ward-ids").
 */
export function fieldTargets<K extends string>(prefix: string, labels: Record<K, string>): Record<K, { id: string; label: string }> {
  const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/\./g, '-');
  return Object.fromEntries(Object.entries<string>(labels).map(([name, label]) => [name, { id: `${prefix}-${kebab(name)}`, label }])) as Record<K, { id: string; label: string }>;
}

/** The target of a field, else of the nearest field holding it ("wardIds" for "wardIds.3"). */
function targetOf(fields: Record<string, { id: string; label: string }>, field: string): { id: string; label: string } | undefined {
  for (let path = field; path; path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '') if (fields[path]) return fields[path];
  return undefined;
}

/**
 * The problem with a form: the server's (or browser's) detail, then every field error with a
 * link that moves focus to the field. `fields` maps error field paths to input ids and labels.
 */
export function ErrorSummary({ error, fields = {} }: { error: unknown; fields?: Record<string, { id: string; label: string }> }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const detail = error instanceof Error ? error.message : 'Something went wrong';
  const issues = error instanceof ApiError ? error.problem.errors ?? [] : [];
  const shown = issues.filter((i) => i.message !== detail || !targetOf(fields, i.field));
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <p className="error-summary-title">{detail}</p>
      {shown.length ? (
        <ul>
          {shown.map((issue, n) => {
            const target = targetOf(fields, issue.field);
            return (
              <li key={`${issue.field}-${n}`}>
                {target ? (
                  <a
                    href={`#${target.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      document.getElementById(target.id)?.focus();
                    }}
                  >
                    {target.label}: {issue.message}
                  </a>
                ) : (
                  <>
                    {issue.field}: {issue.message}
                  </>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

/** A polite live region for "Saved" style confirmations. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <p className="status-message" role="status">
      {children}
    </p>
  );
}
