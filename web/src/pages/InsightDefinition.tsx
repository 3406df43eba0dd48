// A figure's definition, opened from a small button beside its label (a disclosure, so it
// works by keyboard and touch and is not hover-only). The button is described by the text,
// so a screen reader hears the definition even before it is opened.
import { useId, useState } from 'react';
import { INSIGHT_DEFINITIONS, type InsightDefinitionKey } from '../../../contract/insights-definitions.js';

export function InsightDefinition({ term }: { term: InsightDefinitionKey }) {
  const id = useId();
  const [isOpen, setOpen] = useState(false);
  const d = INSIGHT_DEFINITIONS[term];
  return (
    <span className="definition">
      <button
        type="button"
        className="definition-button"
        aria-expanded={isOpen}
        aria-controls={id}
        aria-describedby={id}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && isOpen) {
            e.preventDefault();
            setOpen(false);
          }
        }}
      >
        <span aria-hidden="true">?</span>
        <span className="visually-hidden">Definition: {d.term}</span>
      </button>
      <span id={id} className="definition-text" hidden={!isOpen}>{d.definition}</span>
    </span>
  );
}
