/** compileTemplate (the maintenance-due list fills one message per row) gives exactly fillTemplate's text. */
import { describe, expect, it } from 'vitest';
import { compileTemplate, fillTemplate } from '../../src/domain/maintenance.js';

const values = { customer: '张三', shop: '鸿运', plate: '京A12345', due_on: '2026-12-01', estimated_km: 45210, phone: '010-1234', model: '' };

describe('compileTemplate', () => {
  it.each([
    ['{customer}您好，您的爱车{plate}预计{due_on}需要保养（约{estimated_km}公里），{shop} {phone}'],
    ['{customer}{plate}'], // adjacent placeholders
    ['no placeholders at all'],
    [''],
    ['{unknown} stays, {model} empties, {Customer} is not a name, {customer'],
    ['{{customer}}'],
    ['{plate}{plate}{plate}'],
  ])('%j', (template) => {
    const fill = compileTemplate(template);
    expect(fill(values)).toBe(fillTemplate(template, values));
    expect(fill({ ...values, customer: '李四' })).toBe(fillTemplate(template, { ...values, customer: '李四' }));
  });

  it('fills in the values', () => {
    expect(compileTemplate('{customer}: {plate} {x}')(values)).toBe('张三: 京A12345 {x}');
  });
});
