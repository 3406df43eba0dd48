// Editor for an office's weekly business hours: up to four opening spans per weekday.
import { DAYS, type BusinessHours } from '../../../contract/index.js';
import { FieldError } from '../components/FormFields.js';
import { DAY_NAMES } from '../format.js';

const MAX_SPANS = 4;

/** One end of an opening span; the visible label is short, the hidden part names day and period. */
function TimeField({ id, label, context, value, onChange }: { id: string; label: string; context: string; value: string; onChange: (value: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <span className="visually-hidden"> ({context})</span>
      </label>
      <input id={id} type="time" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

export function BusinessHoursEditor({ value, onChange, errors }: { value: BusinessHours; onChange: (next: BusinessHours) => void; errors: Record<string, string> }) {
  function setDay(day: keyof BusinessHours, spans: [string, string][]) {
    onChange({ ...value, [day]: spans });
  }
  return (
    <fieldset className="hours-editor">
      <legend>Business hours</legend>
      <p className="hint">Times are in the office's time zone, 24-hour clock. A day with no hours is closed.</p>
      {DAYS.map((day) => {
        const spans = value[day];
        const dayError = Object.entries(errors).find(([k]) => k === `businessHours.${day}` || k.startsWith(`businessHours.${day}.`))?.[1];
        const errorId = `hours-${day}-error`;
        return (
          <fieldset key={day} className={dayError ? 'hours-day field-invalid' : 'hours-day'} aria-describedby={dayError ? errorId : undefined}>
            <legend>{DAY_NAMES[day]}</legend>
            {dayError ? <FieldError id={errorId}>{dayError}</FieldError> : null}
            {spans.length === 0 ? <p className="hint">Closed</p> : null}
            {spans.map(([from, to], i) => (
              <div className="hours-span" key={i}>
                <TimeField
                  id={`hours-${day}-${i}-from`}
                  label="Opens"
                  context={`${DAY_NAMES[day]}, period ${i + 1}`}
                  value={from}
                  onChange={(v) => setDay(day, spans.map((s, j) => (j === i ? [v, s[1]] : s)))}
                />
                <TimeField
                  id={`hours-${day}-${i}-to`}
                  label="Closes"
                  context={`${DAY_NAMES[day]}, period ${i + 1}`}
                  value={to}
                  onChange={(v) => setDay(day, spans.map((s, j) => (j === i ? [s[0], v] : s)))}
                />
                <button type="button" className="button button-small" onClick={() => setDay(day, spans.filter((_s, j) => j !== i))}>
                  Remove<span className="visually-hidden"> {DAY_NAMES[day]} period {i + 1}</span>
                </button>
              </div>
            ))}
            {spans.length < MAX_SPANS ? (
              <button
                type="button"
                className="button button-small"
                onClick={() => setDay(day, [...spans, spans.length ? [spans[spans.length - 1]![1], '17:30'] : ['09:00', '17:30']])}
              >
                Add opening hours<span className="visually-hidden"> on {DAY_NAMES[day]}</span>
              </button>
            ) : null}
          </fieldset>
        );
      })}
    </fieldset>
  );
}
