import { describe, expect, it } from 'vitest';
import { formatYuan, parseYuan } from '../../src/domain/money.js';

describe('money', () => {
  it('round-trips yuan through cents', () => {
    expect(parseYuan('price', '1234.5')).toBe(123450);
    expect(formatYuan(123450)).toBe('1234.50');
  });
});
