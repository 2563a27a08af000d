/** Issue 13.7: phone numbers typed into free text are masked too. */
import { describe, expect, it } from 'vitest';
import { maskOutput, maskRow, maskText } from '../../src/domain/privacy.js';

describe('maskText', () => {
  it.each([
    ['请回电13800138000，谢谢', '请回电138****8000，谢谢'],
    ['家人 138 0013 8001 或 138-0013-8002', '家人 138****8001 或 138****8002'],
    ['+86 13800138003 / 8613800138004', '138****8003 / 138****8004'],
    ['tel:13800138005.', 'tel:138****8005.'],
    // not a mobile: an order number, an amount, a VIN, a date, part of a longer number, 12…
    ['单号 RO-20261123-0001 金额 1380.00 VIN LSVAU2180N2183294 2026-11-23', '单号 RO-20261123-0001 金额 1380.00 VIN LSVAU2180N2183294 2026-11-23'],
    ['卡号 6213800138000123', '卡号 6213800138000123'],
    ['12800138000 不是手机', '12800138000 不是手机'],
  ])('%s', (input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it('maskOutput also masks stored landlines; maskRow masks phone columns and free text only', () => {
    expect(maskOutput('{"phone":"02157970561","note":"call 13900001111"}')).toBe('{"phone":"021****0561","note":"call 139****1111"}');
    const row = { phone: '13800000001', complaint: '请打13800000002', plate: '京A12345', message: '致电13800000003' };
    expect(maskRow(row)).toEqual({ phone: '138****0001', complaint: '请打138****0002', plate: '京A12345', message: '致电13800000003' });
    const clean = { phone: null, complaint: '刹车异响' };
    expect(maskRow(clean)).toBe(clean);
  });
});
