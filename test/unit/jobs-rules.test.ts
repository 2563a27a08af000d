import { describe, expect, it } from 'vitest';
import { agentRotation, callbackOrderKey, callbackPriority, callbackTags, planCallbacks, type CallbackFacts, type CallbackPlace } from '../../src/domain/jobs/callbacks.js';
import { fillTemplate, reminderMessage } from '../../src/domain/jobs/reminders.js';
import { REMINDER_TEMPLATES } from '../../src/domain/settings.js';

const facts = (over: Partial<CallbackFacts>): CallbackFacts => ({
  number: 'RO-20261118-0001', deliveredAt: '2026-11-18T08:00:00.000Z', advisorId: null,
  openComplaint: false, repeat: false, qcFailures: 0, firstVisit: false, ...over,
});

describe('callback tags and priority', () => {
  it.each<[Partial<CallbackFacts>, string[], number]>([
    [{}, [], 3],
    [{ firstVisit: true }, ['first_visit'], 2],
    [{ openComplaint: true }, ['complaint'], 1],
    [{ repeat: true }, ['repeat'], 1],
    [{ qcFailures: 2 }, ['rework'], 1],
    [{ openComplaint: true, repeat: true, qcFailures: 1, firstVisit: true }, ['complaint', 'repeat', 'rework', 'first_visit'], 1],
    [{ repeat: true, firstVisit: true }, ['repeat', 'first_visit'], 1],
  ])('%j → %j priority %d', (over, tags, priority) => {
    const t = callbackTags(facts(over));
    expect(t).toEqual(tags);
    expect(callbackPriority(t)).toBe(priority);
  });
});

describe('agent rotation', () => {
  it('takes agents in turn by id', () => {
    const next = agentRotation([30, 10, 20]);
    expect([null, null, null, null].map(next)).toEqual([10, 20, 30, 10]);
  });
  it('never gives a call to the order\'s own advisor; the turn moves past the one who took it', () => {
    const next = agentRotation([10, 20, 30]);
    expect([10, 10, 30, null, 20].map(next)).toEqual([20, 30, 10, 20, 30]);
  });
  it('empty when the only agent is the advisor, or there are none', () => {
    const only = agentRotation([10]);
    expect([10, null, 10].map(only)).toEqual([null, 10, null]);
    expect(agentRotation([])(null)).toBeNull();
  });
});

describe('planCallbacks', () => {
  it('orders by priority, delivery time, order number; assigns agents down that order', () => {
    const list = planCallbacks(
      [
        facts({ number: 'RO-B', deliveredAt: '2026-11-18T02:00:00.000Z', advisorId: 10 }),
        facts({ number: 'RO-A', deliveredAt: '2026-11-18T02:00:00.000Z', advisorId: 10 }),
        facts({ number: 'RO-C', deliveredAt: '2026-11-19T02:00:00.000Z', repeat: true, advisorId: 20 }),
        facts({ number: 'RO-D', deliveredAt: '2026-11-17T02:00:00.000Z', firstVisit: true }),
      ],
      [10, 20],
    );
    expect(list.map((p) => [p.facts.number, p.priority, p.agentId])).toEqual([
      ['RO-C', 1, 10],
      ['RO-D', 2, 20],
      ['RO-A', 3, 20],
      ['RO-B', 3, 20],
    ]);
  });
});

describe('callbackOrderKey', () => {
  // SPEC §6.2 as a comparison: priority, then delivery time, then order number
  const compareCallbacks = (a: CallbackPlace, b: CallbackPlace) =>
    a.priority - b.priority ||
    (a.deliveredAt < b.deliveredAt ? -1 : a.deliveredAt > b.deliveredAt ? 1 : 0) ||
    (a.number < b.number ? -1 : a.number > b.number ? 1 : 0);

  it('sorts as priority, delivery time, order number do, on random lists with ties and prefixes', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pick = <T,>(xs: T[]) => xs[rnd(xs.length)]!;
    for (let round = 0; round < 200; round++) {
      const places: CallbackPlace[] = Array.from({ length: 30 }, () => ({
        priority: 1 + rnd(3),
        deliveredAt: pick(['2026-11-16T02:00:00.000Z', '2026-11-16T02:00:00.000Z', '2026-11-16T10:30:00.000Z', '2026-11-17T01:00:00.000Z', '2026-11-16T02:00:00Z', '2026-11-16T02:00']),
        number: pick(['RO-1', 'RO-10', 'RO-2', 'RO-1A', 'RO-100', 'A', 'Z9']),
      }));
      const byKey = [...places].sort((a, b) => (callbackOrderKey(a) < callbackOrderKey(b) ? -1 : callbackOrderKey(a) > callbackOrderKey(b) ? 1 : 0));
      expect(byKey).toEqual([...places].sort(compareCallbacks));
    }
  });
});

describe('reminder message', () => {
  const f = { customer: '张三', shop: '顺达汽修', shopPhone: '021-5555', plate: '沪A12345', model: 'Camry', time: '2026-11-24 09:00', service: '保养' };
  it('zh-CN default template', () => {
    expect(reminderMessage(REMINDER_TEMPLATES['zh-CN'], 'zh-CN', f)).toBe(
      '张三您好，顺达汽修提醒您：您的爱车沪A12345已预约2026-11-24 09:00到店保养。请携带行驶证、防盗密码、轮胎防盗螺栓钥匙和保养手册。如需改期请致电021-5555。',
    );
  });
  it('en default template, with and without a service', () => {
    expect(reminderMessage(REMINDER_TEMPLATES.en, 'en', { ...f, customer: 'Li', service: 'oil change' })).toContain('at 2026-11-24 09:00 for oil change. Please bring');
    expect(reminderMessage(REMINDER_TEMPLATES.en, 'en', { ...f, customer: 'Li', service: '' })).toContain('at 2026-11-24 09:00. Please bring');
  });
  it('unknown placeholders stay visible', () => {
    expect(fillTemplate('{customer} {nope}', { customer: 'A' })).toBe('A {nope}');
  });
});
