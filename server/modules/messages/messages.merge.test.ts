// The strict template renderer: only the fixed merge fields, substituted once as plain text.
import { describe, expect, it } from 'vitest';
import { TEMPLATE_MERGE_FIELDS } from '../../../contract/messages.js';
import { loadConfig } from '../../config.js';
import { fieldsOf, MergeError, render, type MergeValues } from './messages.merge.js';

const values = Object.fromEntries(Object.keys(TEMPLATE_MERGE_FIELDS).map((k) => [k, `<${k}>`])) as MergeValues;

describe('merge fields', () => {
  it('fills in every known field, with or without spaces inside the braces, once', () => {
    expect(render('Dear {{constituent.given_name}}, re {{ case.reference }}.', values)).toBe('Dear <constituent.given_name>, re <case.reference>.');
    // A value that looks like a field is not rendered again.
    expect(render('{{case.subject}}', { ...values, 'case.subject': '{{office.name}}' })).toBe('{{office.name}}');
    expect(render('Single { braces } stay', values)).toBe('Single { braces } stay');
    expect(fieldsOf('{{case.status}} {{office.name}} {{case.status}}')).toEqual(['case.status', 'office.name', 'case.status']);
  });

  it.each([
    ['{{constituent.password}}', /Unknown merge field "\{\{constituent.password\}\}"/],
    ['{{case.reference', /never closed/],
    ['case.reference}}', /closes nothing/],
    ['{{}}', /Malformed/],
    ['{{{case.reference}}}', /Malformed/],
    ['{{#each cases}}{{/each}}', /Unknown merge field/],
    ['{{constructor}}', /Unknown merge field/],
  ])('refuses %s', (source, message) => {
    expect(() => render(source, values)).toThrow(MergeError);
    expect(() => fieldsOf(source)).toThrow(message);
  });
});

describe('mail configuration', () => {
  it('defaults to the file outbox and a local sender, and refuses a non-SMTP URL or a bad sender', () => {
    const c = loadConfig({});
    expect([c.smtpUrl, c.mailFrom]).toEqual([undefined, 'Civitas <no-reply@localhost>']);
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.org:465', MAIL_FROM: 'casework@town.example' })).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example.org:465', mailFrom: 'casework@town.example' });
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org' })).toThrow(/SMTP_URL: must be an smtp/);
    expect(() => loadConfig({ MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM/);
  });
});
