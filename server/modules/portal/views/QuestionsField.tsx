// A category's own questions (its service definition's attributes) as form fields, by
// datatype: text, a longer text, a number, a date and time, one choice (radio buttons, or a
// list when there are many) or several (checkboxes). Each labelled, its hint and problem
// tied to it; what the resident answered kept when the form comes back with problems.
import type { Open311Attribute } from '../../../../contract/open311.js';
import type { Translator } from '../portal.i18n.js';
import { fieldId, fieldName, isChoices, optionId } from '../portal.questions.js';
import { aria, FieldMessage, type FieldError } from './Layout.js';

function Question({ t, q, i, values, errors }: { t: Translator; q: Open311Attribute; i: number; values: Record<string, string>; errors: FieldError[] }) {
  const id = fieldId(i);
  const name = fieldName(q.code);
  const label = q.required ? q.description : t.t('question.optional', { question: q.description });
  const hintId = q.datatypeDescription ? `${id}-hint` : undefined;
  const hint = q.datatypeDescription ? <p className="hint" id={hintId}>{q.datatypeDescription}</p> : null;
  if (isChoices(q)) {
    const first = optionId(i, 0);
    const isMulti = q.datatype === 'multivaluelist';
    return (
      <fieldset className="question" aria-describedby={aria(first, errors, hintId)['aria-describedby']}>
        <legend>{label}</legend>
        {hint}
        <FieldMessage t={t} id={first} errors={errors} />
        {q.values.map((v, n) => (
          <div className="choice" key={v.key}>
            {isMulti
              ? <input type="checkbox" id={optionId(i, n)} name={fieldName(q.code, v.key)} value="yes" defaultChecked={values[fieldName(q.code, v.key)] === 'yes'} />
              : <input type="radio" id={optionId(i, n)} name={name} value={v.key} defaultChecked={values[name] === v.key} />}
            <label htmlFor={optionId(i, n)}>{v.name}</label>
          </div>
        ))}
      </fieldset>
    );
  }
  const common = { id, name, defaultValue: values[name] ?? '', ...aria(id, errors, hintId) };
  return (
    <div className="question">
      <label htmlFor={id}>{label}</label>
      {hint}
      <FieldMessage t={t} id={id} errors={errors} />
      {q.datatype === 'singlevaluelist' ? (
        <select {...common}>
          <option value="">{t.t('question.choose')}</option>
          {q.values.map((v) => <option key={v.key} value={v.key}>{v.name}</option>)}
        </select>
      ) : q.datatype === 'text' ? <textarea rows={4} {...common} />
        : q.datatype === 'datetime' ? <input type="datetime-local" {...common} />
          : q.datatype === 'number' ? <input type="text" inputMode="decimal" {...common} />
            : <input type="text" maxLength={1000} {...common} />}
    </div>
  );
}

export function QuestionsField({ t, questions, values, errors }: { t: Translator; questions: Open311Attribute[]; values: Record<string, string>; errors: FieldError[] }) {
  if (!questions.length) return null;
  return (
    <fieldset>
      <legend>{t.t('question.legend')}</legend>
      {questions.map((q, i) => <Question key={q.code} t={t} q={q} i={i} values={values} errors={errors} />)}
    </fieldset>
  );
}
