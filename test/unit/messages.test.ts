/**
 * Messages a person reads (issue 12, items 9 and 2): each says what is wrong once, in plain words, with
 * counts in the right number; which SQLite file is pitstop's.
 */
import { describe, expect, it } from 'vitest';
import { checkSetting } from '../../src/domain/settings.js';
import { parseKm } from '../../src/domain/identity.js';
import { count } from '../../src/domain/words.js';
import { APPLICATION_ID, judgeOwnership } from '../../src/db/ownership.js';

const none = new Map<string, string>();
const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return '';
};

describe('setting errors say the reason once', () => {
  it.each([
    ['shop.open', '25:00', 'invalid shop.open "25:00": expected a time HH:mm, like 09:30'],
    ['labor.rate', '120.555', 'invalid labor.rate "120.555": expected an amount in yuan with at most 2 decimals, like 1234.50 (no commas)'],
    ['callback.window', '10:00-99:00', 'invalid callback.window "10:00-99:00": "99:00" is not valid: expected a time HH:mm, like 09:30'],
    ['shop.bays', 'x', 'invalid shop.bays "x": expected a whole number from 1 to 500'],
  ])('%s %s', (key, value, message) => {
    const text = messageOf(() => checkSetting(key, value, none));
    expect(text).toBe(message);
    expect(text.match(/expected/g)?.length).toBe(1);
    expect(text.match(/invalid/g)?.length).toBe(1);
  });
});

describe('mileage', () => {
  it('a number too large says so', () => {
    expect(messageOf(() => parseKm('mileage', '99999999'))).toBe('invalid mileage "99999999": too large: at most 9999999 km');
    expect(messageOf(() => parseKm('mileage', '1.5'))).toBe('invalid mileage "1.5": expected a whole number of km, like 45210');
    expect(parseKm('mileage', '9999999')).toBe(9999999);
  });
});

describe('counts', () => {
  it.each([
    [0, 'row', '0 rows'],
    [1, 'row', '1 row'],
    [2, 'row', '2 rows'],
    [1, 'customer', '1 customer'],
    [3, 'customer', '3 customers'],
  ])('%d %s', (n, noun, text) => expect(count(n, noun)).toBe(text));
});

describe('which file is pitstop\'s', () => {
  const pitstopTables = ['settings', 'audit_log', 'customers', 'job_runs'];
  it.each([
    ['a new, empty file', 0, 0, [], { fresh: true, foreign: null }],
    ['a pitstop database', APPLICATION_ID, 2, pitstopTables, { fresh: false, foreign: null }],
    ['a first-release database (application_id 0)', 0, 1, pitstopTables, { fresh: false, foreign: null }],
  ] as const)('%s', (_name, id, version, tables, verdict) => expect(judgeOwnership(id, version, tables)).toEqual(verdict));

  it.each([
    ['another application\'s tables', 0, 0, ['notes'], /another application's tables \(notes\)/],
    ['another application\'s id', 0x1234, 1, pitstopTables, /application_id is 0x00001234/],
    ['pitstop-like tables without a schema version', 0, 0, pitstopTables, /another application's tables/],
    ['a schema version and none of pitstop\'s tables', 0, 3, ['job_runs'], /another application's tables \(job_runs\)/],
    ['no tables but a version', 0, 4, [], /schema version 4 but none of pitstop's tables/],
  ] as const)('refuses %s', (_name, id, version, tables, why) => {
    const v = judgeOwnership(id, version, tables);
    expect(v.fresh).toBe(false);
    expect(v.foreign).toMatch(why);
  });
});
