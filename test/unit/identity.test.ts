import { describe, expect, it } from 'vitest';
import {
  checkMileage, cleanName, cleanText, maskPhone, normalizePhone, normalizePlate, normalizeVin, parseKm, vinCheckDigit,
} from '../../src/domain/identity.js';
import { PitstopError } from '../../src/errors.js';

/** A VIN with a correct check digit built from any 17 valid characters. */
function validVin(body: string): string {
  const v = body.slice(0, 8) + '0' + body.slice(9);
  return v.slice(0, 8) + vinCheckDigit(v) + v.slice(9);
}

const fullWidth = (s: string) => s.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

function exitOf(fn: () => unknown): number | string {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return err instanceof PitstopError ? err.exitCode : String(err);
  }
}

describe('normalizePhone', () => {
  it.each([
    ['13800000001', 'private', '13800000001'],
    ['+86 138-0000-0001', 'private', '13800000001'],
    ['+8613800000001', 'private', '13800000001'],
    ['8613800000001', 'private', '13800000001'],
    ['138 0000 0001', 'private', '13800000001'],
    [fullWidth('13800000001'), 'private', '13800000001'],
    ['19912345678', 'private', '19912345678'],
    ['010-88886666', 'fleet', '01088886666'],
    ['0755-2345678', 'fleet', '07552345678'],
    ['(021) 5555 6666', 'fleet', '02155556666'],
    ['13800000001', 'fleet', '13800000001'],
  ] as const)('%s (%s) → %s', (text, kind, expected) => {
    expect(normalizePhone(text, kind)).toBe(expected);
  });

  it.each([
    ['12800000001', 'private'], // 12… is not a mobile prefix
    ['1380000000', 'private'], // 10 digits
    ['138000000012', 'private'], // 12 digits
    ['010-88886666', 'private'], // landline only for fleet
    ['abc', 'fleet'],
    ['', 'private'],
    ['86138000000', 'private'], // 86 prefix needs 11 digits after it
  ] as const)('refuses %s (%s) with exit 2 naming the value', (text, kind) => {
    expect(() => normalizePhone(text, kind)).toThrow(/invalid phone/);
    expect(exitOf(() => normalizePhone(text, kind))).toBe(2);
  });

  it('masks the middle digits', () => {
    expect(maskPhone('13800000001')).toBe('138****0001');
    expect(maskPhone('01088886666')).toBe('010****6666');
  });
});

describe('normalizePlate', () => {
  it.each([
    ['京A12345', '京A12345'],
    ['京a·12345', '京A12345'],
    ['京 A 12345', '京A12345'],
    ['京Ａ１２３４５', '京A12345'],
    ['沪B-2C3D4', '沪B2C3D4'],
    ['粤AD12345', '粤AD12345'], // new energy, small car
    ['粤A12345F', '粤A12345F'], // new energy, large vehicle
    ['苏E1234学', '苏E1234学'],
  ])('%s → %s', (text, expected) => {
    expect(normalizePlate(text)).toBe(expected);
  });

  it.each([
    ['京I12345', /I and O/],
    ['京A1O345', /I and O/],
    ['XA12345', /province/],
    ['京A1234', /Chinese plate/], // 6 characters
    ['京A123456', /Chinese plate/], // 8 but not new-energy
    ['京AD12X45', /Chinese plate/], // 8 characters, not a new-energy pattern
    ['', /plate/],
  ])('refuses %s', (text, message) => {
    expect(() => normalizePlate(text)).toThrow(message);
    expect(exitOf(() => normalizePlate(text))).toBe(2);
  });
});

describe('VIN', () => {
  it('computes the ISO 3779 check digit of known VINs', () => {
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X'); // the textbook example
    expect(vinCheckDigit('11111111111111111')).toBe('1');
  });

  const good = [validVin('LSVAU2180N2183294'), validVin('LFV2A21K0A3045678'), validVin('WVWZZZ3CZWE123456'), '1M8GDM9AXKP042788'];
  it.each(good)('accepts %s', (vin) => {
    expect(normalizeVin(vin)).toEqual({ vin });
    expect(normalizeVin(vin.toLowerCase())).toEqual({ vin });
    expect(normalizeVin(fullWidth(vin))).toEqual({ vin });
  });

  it('reports a wrong check digit with the expected one (not thrown: --force may accept it)', () => {
    const vin = '1M8GDM9A1KP042788';
    expect(normalizeVin(vin)).toEqual({ vin, expectedCheck: 'X' });
  });

  it.each([
    ['1M8GDM9AXKP04278', /17 characters/],
    ['1M8GDM9AXKP0427889', /17 characters/],
    ['IM8GDM9AXKP042788', /I, O and Q/],
    ['1M8GDM9AXKP04278O', /I, O and Q/],
    ['QM8GDM9AXKP042788', /I, O and Q/],
    ['1M8GDM9AXKP04278*', /17 characters/],
  ])('refuses %s', (vin, message) => {
    expect(() => normalizeVin(vin)).toThrow(message);
    expect(exitOf(() => normalizeVin(vin))).toBe(2);
  });
});

describe('mileage', () => {
  it.each([
    ['45210', 45210],
    ['４５２１０', 45210],
    [' 0 ', 0],
  ])('parseKm %s → %d', (text, km) => expect(parseKm('mileage', text)).toBe(km));

  it.each(['-5', '1.5', '45,210', '12345678', 'abc', ''])('parseKm refuses %s', (text) => {
    expect(() => parseKm('mileage', text)).toThrow(/invalid mileage/);
  });

  const last = { km: 40000, day: '2026-11-01' };
  it.each([
    [40000, 22, null],
    [39999, 22, 'backwards'],
    [40000 + 1500 * 22, 22, null],
    [40000 + 1500 * 22 + 1, 22, 'jump'],
    [41500, 0, null], // same day: max(1, days) × 1500
    [41501, 0, 'jump'],
  ])('km %d after %d days → %s', (km, days, kind) => {
    const p = checkMileage(km, '2026-11-23', last, 1500, days);
    expect(p?.kind ?? null).toBe(kind);
  });

  it('no previous reading: anything goes', () => {
    expect(checkMileage(5, '2026-11-23', null, 1500, 0)).toBeNull();
  });
});

describe('text', () => {
  it('cleans and refuses control characters', () => {
    expect(cleanText('note', '  ｈｉ  ')).toBe('hi');
    expect(cleanText('note', '')).toBeNull();
    expect(cleanText('note', 'two\nlines')).toBe('two\nlines');
    expect(() => cleanText('note', 'bell\u0007')).toThrow(/invalid note/);
    expect(() => cleanText('note', 'rtl\u202eevil')).toThrow(/control/);
    expect(() => cleanText('note', 'x'.repeat(11), 10)).toThrow(/longer than 10/);
  });

  it('names must be one line and not empty', () => {
    expect(cleanName('name', ' 张伟 ')).toBe('张伟');
    expect(() => cleanName('name', '   ')).toThrow(/must not be empty/);
    expect(() => cleanName('name', 'a\nb')).toThrow(/one line/);
  });
});
