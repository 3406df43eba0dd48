// A note's text box with an @mention picker, following the ARIA combobox pattern: typing "@"
// and a few letters lists matching colleagues (those who may read the case); Up and Down move,
// Enter or Tab picks, Escape closes. A pick inserts `@[Name](user:<id>)`, which the server checks.
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { CaseStaff } from '../../../contract/case-work.js';

const TRIGGER = /(^|\s)@([^\s@[\]()]{0,40})$/;

type Props = {
  id: string;
  value: string;
  onChange: (value: string) => void;
  staff: CaseStaff[];
  describedBy?: string | undefined;
  invalid?: boolean;
};

export function MentionComposer({ id, value, onChange, staff, describedBy, invalid }: Props) {
  const listId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  // Any word of the name starting with what was typed ("mi" finds Mina Mention, not Administrator).
  const q = query?.toLowerCase() ?? '';
  const matches = query === null ? [] : staff.filter((s) => s.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(q))).slice(0, 8);
  const isOpen = query !== null && matches.length > 0;

  function track(text: string, caret: number) {
    const m = TRIGGER.exec(text.slice(0, caret));
    setQuery(m ? m[2]! : null);
    setActive(0);
  }

  function pick(person: CaseStaff) {
    const el = ref.current;
    const caret = el?.selectionStart ?? value.length;
    const before = value.slice(0, caret).replace(TRIGGER, (_all, space: string) => `${space}@[${person.displayName.replace(/[[\]]/g, '')}](user:${person.id}) `);
    const next = before + value.slice(caret);
    onChange(next);
    setQuery(null);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(before.length, before.length);
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (!isOpen) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(matches[active]!);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setQuery(null);
    }
  }

  return (
    <div className="mention-composer">
      <textarea
        id={id}
        ref={ref}
        rows={4}
        value={value}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={isOpen}
        aria-controls={listId}
        aria-activedescendant={isOpen ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          track(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setQuery(null)}
      />
      <ul id={listId} role="listbox" aria-label="People to mention" className="mention-options" hidden={!isOpen}>
        {matches.map((s, i) => (
          <li
            key={s.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'is-active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault(); // keep focus in the text box
              pick(s);
            }}
          >
            {s.displayName}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status">{isOpen ? `${matches.length} ${matches.length === 1 ? 'person matches' : 'people match'}; use the arrow keys and Enter to mention` : ''}</p>
    </div>
  );
}
