/** The group's pure rules (SPEC §15, §16): store codes, role names, masked URLs, the SCRAM verifier, group sums. */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkGroupUrl, groupRoles, maskUrl, parseStoreCode } from '../../src/domain/group.js';
import { scramVerifier } from '../../src/db/group/schema.js';
import { addConversions, addRevenueSums, addTallies } from '../../src/app/group-reports.js';
import { PitstopError } from '../../src/errors.js';

describe('store codes and role names', () => {
  it('a code is 1–20 letters, digits, _ or -, starting with a letter or digit, kept upper-case', () => {
    expect(parseStoreCode('CODE', ' sh01 ')).toBe('SH01');
    expect(parseStoreCode('CODE', 'bj-02_a')).toBe('BJ-02_A');
    expect(parseStoreCode('CODE', 'ＳＨ０１')).toBe('SH01');
    for (const bad of ['', '-x', 'SH 01', 'a'.repeat(21), '上海', "x';drop", '(group)']) {
      expect(() => parseStoreCode('CODE', bad), bad).toThrow(PitstopError);
    }
    expect(() => parseStoreCode('--store', 'SH 01')).toThrow(/invalid --store "SH 01": expected a store code/);
  });

  it('role names carry the database\'s name and fit PostgreSQL\'s 63 bytes', () => {
    const r = groupRoles('Dealer-Group');
    expect([r.headOffice, r.stores, r.store('BJ-02')]).toEqual(['dealer_group_head_office', 'dealer_group_stores', 'dealer_group_store_bj_02']);
    expect(() => groupRoles('d'.repeat(55)).store('SH01')).toThrow(/longer than PostgreSQL's 63 bytes/);
  });
});

describe('URLs', () => {
  it('a URL is shown with its password masked, whatever it holds', () => {
    expect(maskUrl('postgres://st:p%40ss@hq:5432/group')).toBe('postgres://st:********@hq:5432/group');
    expect(maskUrl('postgres://st@hq/group')).toBe('postgres://st@hq/group');
    expect(maskUrl('')).toBe('');
    expect(maskUrl('not a url with secret')).toBe('********');
  });

  it('group.pg takes postgres:// or postgresql:// URLs with a host and a database', () => {
    expect(checkGroupUrl('postgresql://a:b@h:5432/db')).toBe('postgresql://a:b@h:5432/db');
    expect(checkGroupUrl('')).toBe('');
    for (const bad of ['mysql://a@h/db', 'postgres://h', 'postgres:///db', 'hq:5432/db']) expect(() => checkGroupUrl(bad), bad).toThrow();
  });
});

describe('the SCRAM-SHA-256 verifier CREATE ROLE carries', () => {
  it('matches RFC 7677\'s construction and PostgreSQL\'s format', () => {
    const salt = Buffer.from('0123456789abcdef');
    const v = scramVerifier('pencil', salt, 4096);
    const salted = crypto.pbkdf2Sync('pencil', salt, 4096, 32, 'sha256');
    const stored = crypto.createHash('sha256').update(crypto.createHmac('sha256', salted).update('Client Key').digest()).digest('base64');
    const server = crypto.createHmac('sha256', salted).update('Server Key').digest('base64');
    expect(v).toBe(`SCRAM-SHA-256$4096:${salt.toString('base64')}$${stored}:${server}`);
    expect(v).not.toContain('pencil');
  });
});

describe('the group\'s rows add the stores\' sums', () => {
  it('revenue sums add per dimension and key', () => {
    const a = [{ dimension: 'total' as const, key: 'all', orders: 2, vehicles: 2, labor: 100, parts: 50, other: 0, discount: 10, paid: 140 }];
    const b = [
      { dimension: 'total' as const, key: 'all', orders: 1, vehicles: 1, labor: 7, parts: 0, other: 3, discount: 0, paid: 0 },
      { dimension: 'model' as const, key: 'Civic', orders: 1, vehicles: 1, labor: 7, parts: 0, other: 3, discount: 0, paid: 0 },
    ];
    expect(addRevenueSums([a, b])).toEqual([
      { dimension: 'total', key: 'all', orders: 3, vehicles: 3, labor: 107, parts: 50, other: 3, discount: 10, paid: 140 },
      { dimension: 'model', key: 'Civic', orders: 1, vehicles: 1, labor: 7, parts: 0, other: 3, discount: 0, paid: 0 },
    ]);
    // the inputs are not changed
    expect(a[0]!.orders).toBe(2);
  });

  it('callback tallies and list conversions add up', () => {
    const t = (n: number) => ({ delivered: n, reachedOrders: n - 1, reachedCalls: n, satisfied: 1, sums: [n, 0, 0, 0, 0], counts: [1, 0, 0, 0, 0], reasons: [['price', n] as const], suggestions: [] });
    const sum = addTallies([t(3), t(5)]);
    expect(sum).toMatchObject({ delivered: 8, reachedOrders: 6, reachedCalls: 8, satisfied: 2, sums: [8, 0, 0, 0, 0], counts: [2, 0, 0, 0, 0] });
    expect([...sum.reasons]).toEqual([['price', 3], ['price', 5]]);
    const conv = addConversions([[{ list: 'arrears', rows: 2, contacted: 1, reached: 1, booked: 0 }], [{ list: 'arrears', rows: 3, contacted: 2, reached: 0, booked: 1 }]]);
    expect(conv.find((c) => c.list === 'arrears')).toEqual({ list: 'arrears', rows: 5, contacted: 3, reached: 1, booked: 1 });
    expect(conv.find((c) => c.list === 'maintenance-due')).toEqual({ list: 'maintenance-due', rows: 0, contacted: 0, reached: 0, booked: 0 });
  });
});
