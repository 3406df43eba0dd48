// `civitas import constituents` as a real process on its own embedded database: usage
// errors exit 2 with the reason, an import that ran exits 0 (rejected rows or not) and
// prints its summary; progress goes to stderr as plain lines when stderr is not a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../../test/cli.js';

const { dir, civitas } = cliRunner('civitas-import-cli-', 'data');

const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

const PEOPLE = file('people.csv', 'Voter ID,First,Last,Email\nV1,Ada,Lovelace,ada@example.org\nV2,Bob,Byte,not-an-email\nV3,Cy,"Core\nJr",cy@example.org\n');
const MAP = file('map.json', JSON.stringify({ columns: { 'Voter ID': 'externalId:voter_file', First: 'givenName', Last: 'familyName', Email: 'email' } }));

describe('civitas import constituents', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    const r = await civitas(['office', 'create', '--slug', 'imports', '--name', 'Imports']);
    expect(r.code, r.err).toBe(0);
  }, 120_000);

  it('imports, exits 0 with rejected rows, prints the summary and writes the error report', async () => {
    const errors = path.join(dir, 'errors.csv');
    const r = await civitas(['import', 'constituents', PEOPLE, '--office', 'imports', '--map', MAP, '--errors', errors]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/rows 3: created 2, updated 0, unchanged 0, rejected 1/);
    expect(r.err).toMatch(/^import: 100% .* 3 rows, .* rows\/s, ETA/m);
    expect(fs.readFileSync(errors, 'utf8').replace(/^\uFEFF/, '')).toBe('row,column,reason\n3,Email,is not a valid email address\n');
    const again = await civitas(['import', 'constituents', PEOPLE, '--office', 'imports', '--map', MAP]);
    expect(again.out).toMatch(/created 0, updated 0, unchanged 2, rejected 1/);
  });

  it.each([
    ['a missing file', [path.join(dir, 'nope.csv'), '--office', 'imports', '--map', MAP], /no such file: .*nope\.csv/],
    ['a map.json that is not JSON', [PEOPLE, '--office', 'imports', '--map', file('bad.json', '{ "columns": ')], /bad\.json is not valid JSON/],
    ['a map.json with an unknown field', [PEOPLE, '--office', 'imports', '--map', file('wrong.json', '{"columns":{"First":"shoeSize"}}')], /columns\.First: must be one of/],
    ['an unknown office', [PEOPLE, '--office', 'nowhere', '--map', MAP], /no office with slug "nowhere"/],
    ['a mapped column not in the file', [PEOPLE, '--office', 'imports', '--map', file('extra.json', JSON.stringify({ columns: { 'Voter ID': 'externalId:v', First: 'givenName', Last: 'familyName', Email: 'email', Phone: 'phone' } }))], /no column "Phone"/],
    ['a file that is not UTF-8', [file('latin.csv', Buffer.from('Voter ID,First,Last,Email\nV9,Zoë,Smith,z@example.org\n', 'latin1')), '--office', 'imports', '--map', MAP], /not valid UTF-8 .*--encoding windows-1252/],
    ['an encoding it does not know', [PEOPLE, '--office', 'imports', '--map', MAP, '--encoding', 'ebcdic'], /Allowed choices are utf8, utf16le, utf16be, latin1, windows-1252/],
  ])('exits 2 on %s, saying why', async (_label, args, message) => {
    const r = await civitas(['import', 'constituents', ...args]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(message);
  });
});
