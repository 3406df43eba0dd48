// A category's own questions on the report form (its Open311 service definition's attributes):
// the answers read from the posted form, checked by datatype, and written out in words for the
// case (the question, then the answer as the resident saw it). Field names are
// `attribute[CODE]` as in Open311's own form encoding; a multi-choice question posts one
// checkbox per value, `attribute[CODE][VALUE]`, since a form body keeps one value per name.
import type { Open311Attribute } from '../../../contract/open311.js';
import type { Issue } from './portal.forms.js';

export type Answer = { code: string; question: string; answer: string };

export const TEXT_MAX = 1000;
export const fieldName = (code: string, value?: string) => `attribute[${code}]${value === undefined ? '' : `[${value}]`}`;
/** The element id of the i-th question's field: by position, since codes may hold '-' and ids built from them could collide. */
export const fieldId = (i: number) => `q${i}`;
/** The id of the i-th question's n-th radio button or checkbox. */
export const optionId = (i: number, n: number) => `q${i}-${n}`;
/** All the answers together, at most (they follow the description on the case, itself at most 5,000 characters). */
export const ANSWERS_MAX = 10_000;

const MANY_CHOICES = 8;
/** Whether the question is shown as radio buttons or checkboxes (else one field: a list when there are many choices). */
export const isChoices = (q: Open311Attribute) => q.datatype === 'multivaluelist' || (q.datatype === 'singlevaluelist' && q.values.length <= MANY_CHOICES);
/** The id a problem with the question links to: its first option, or its field. */
export const problemId = (q: Open311Attribute, i: number) => (isChoices(q) ? optionId(i, 0) : fieldId(i));

const NUMBER = /^[+-]?\d{1,15}([.,]\d{1,6})?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

function answerTo(q: Open311Attribute, body: Record<string, string>): { answer: string | null; issue?: Omit<Issue, 'field'> } {
  const given = (body[fieldName(q.code)] ?? '').trim();
  switch (q.datatype) {
    case 'multivaluelist': {
      const chosen = q.values.filter((v) => body[fieldName(q.code, v.key)] === 'yes');
      return { answer: chosen.length ? chosen.map((v) => v.name).join('; ') : null };
    }
    case 'singlevaluelist': {
      if (!given) return { answer: null };
      const v = q.values.find((x) => x.key === given);
      return v ? { answer: v.name } : { answer: null, issue: { key: 'error.question.choice', values: { question: q.description } } };
    }
    case 'number':
      if (!given) return { answer: null };
      return NUMBER.test(given) ? { answer: given } : { answer: null, issue: { key: 'error.question.number', values: { question: q.description } } };
    case 'datetime':
      if (!given) return { answer: null };
      return DATETIME.test(given) && !Number.isNaN(Date.parse(given)) ? { answer: given.replace('T', ' ') } : { answer: null, issue: { key: 'error.question.datetime', values: { question: q.description } } };
    default: {
      const max = q.datatype === 'text' ? 5 * TEXT_MAX : TEXT_MAX;
      if (given.length > max) return { answer: null, issue: { key: 'error.text.tooLong', values: { max } } };
      return { answer: given || null };
    }
  }
}

/** The answers to the category's questions, or the problems with them (a required one unanswered, a wrong type). */
export function readAnswers(questions: readonly Open311Attribute[], body: Record<string, string>): { answers: Answer[]; issues: Issue[] } {
  const answers: Answer[] = [];
  const issues: Issue[] = [];
  for (const [i, q] of questions.entries()) {
    const field = problemId(q, i);
    const r = answerTo(q, body);
    if (r.issue) issues.push({ field, ...r.issue });
    else if (r.answer !== null) answers.push({ code: q.code, question: q.description, answer: r.answer });
    else if (q.required) issues.push({ field, key: 'error.question.required', values: { question: q.description } });
  }
  const total = answers.reduce((n, a) => n + a.question.length + a.answer.length + 3, 0);
  if (total > ANSWERS_MAX && questions.length) issues.push({ field: problemId(questions[0]!, 0), key: 'error.question.tooLong', values: { max: ANSWERS_MAX } });
  return { answers, issues };
}

