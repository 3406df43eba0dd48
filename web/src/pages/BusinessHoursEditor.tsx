// Editor for an office's weekly business hours: up to four opening spans per weekday.
import { DAYS, type BusinessHours } from '../../../contract/index.js';
import { DAY_NAMES } from '../format.js';

const MAX_SPANS = 4;

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
            {dayError ? <p className="field-error" id={errorId}><span className="visually-hidden">Error: </span>{dayError}</p> : null}
            {spans.length === 0 ? <p className="hint">Closed</p> : null}
            {spans.map(([from, to], i) => (
              <div className="hours-span" key={i}>
                <div className="field">
                  <label htmlFor={`hours-${day}-${i}-from`}>Opens<span className="visually-hidden"> ({DAY_NAMES[day]}, period {i + 1})</span></label>
                  <input
                    id={`hours-${day}-${i}-from`}
                    type="time"
                    value={from}
                    onChange={(e) => setDay(day, spans.map((s, j) => (j === i ? [e.target.value, s[1]] : s)))}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`hours-${day}-${i}-to`}>Closes<span className="visually-hidden"> ({DAY_NAMES[day]}, period {i + 1})</span></label>
                  <input
                    id={`hours-${day}-${i}-to`}
                    type="time"
                    value={to}
                    onChange={(e) => setDay(day, spans.map((s, j) => (j === i ? [s[0], e.target.value] : s)))}
                  />
                </div>
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
