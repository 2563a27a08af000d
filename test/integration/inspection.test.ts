/** Issue 16: order inspect on a real database — photos, findings, template import, declined-work over its edges. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, testCtx } from '../helpers.js';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle, showVehicle } from '../../src/app/vehicles.js';
import { addLine, approveOrder, declineOrderLines, deliverOrder, openOrder, qualityCheck, showOrder, startWork } from '../../src/app/orders.js';
import { importTemplate, inspectOrder } from '../../src/app/inspection.js';
import { runJob } from '../../src/app/jobs.js';
import { parseLocalDateTime } from '../../src/domain/time.js';

let ctx: Ctx;
const at = (local: string) => { ctx.now = parseLocalDateTime('now', local, ctx.tz); };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const code = async (p: Promise<unknown>) => { try { await p; return 0; } catch (e) { return (e as { exitCode: number }).exitCode; } };

beforeEach(async () => {
  ctx = await testCtx('2026-11-02 09:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000', model: '帕萨特' });
});
afterEach(async () => { await ctx.db.close().catch(() => {}); });

describe('order inspect', () => {
  it('colours, findings with severity, photos stored once under their SHA-256 with mode 0600, non-images refused with nothing written', async () => {
    const { order } = await openOrder(ctx, { plate: '京A12345', mileage: '40000' });
    const dir = tempDir();
    const photo = path.join(dir, 'pad.png');
    fs.writeFileSync(photo, PNG);
    fs.writeFileSync(path.join(dir, 'same.png'), PNG);
    const r = await inspectOrder(ctx, order.number, { sets: ['前制动片=2.5', '左前轮胎花纹=2.8:内侧', '雨刮片=pass'], photos: [`前制动片=${photo}`, `前制动片=${path.join(dir, 'same.png')}`] });
    expect(r.readings.map((x) => [x.item, x.colour, x.finding])).toEqual([['前制动片', 'red', 'F1'], ['左前轮胎花纹', 'yellow', 'F2'], ['雨刮片', 'green', null]]);
    const sevs = await ctx.db.all<{ severity: string }>('SELECT severity FROM findings ORDER BY id');
    expect(sevs.map((s) => s.severity)).toEqual(['safety', 'advised']);
    const files = fs.readdirSync(path.join(ctx.dataDir, 'attachments'));
    expect(files).toHaveLength(1);
    expect(fs.statSync(path.join(ctx.dataDir, 'attachments', files[0]!)).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(photo)).toBe(true); // copied, never moved
    expect((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM attachments'))!.n).toBe(1);

    const text = path.join(dir, 'notes.png');
    fs.writeFileSync(text, 'not an image');
    const before = (await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM inspection_readings'))!.n;
    expect(await code(inspectOrder(ctx, order.number, { sets: ['前制动片=3.5'], photos: [`前制动片=${text}`] }))).toBe(2);
    expect(await code(inspectOrder(ctx, order.number, { sets: ['前制动片=3.5'], photos: [`前制动片=${dir}`] }))).toBe(2);
    expect(await code(inspectOrder(ctx, order.number, { sets: ['左前轮胎花纹=40'] }))).toBe(2);
    expect(await code(inspectOrder(ctx, order.number, { sets: ['前刹车片=3'] }))).toBe(3);
    expect((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM inspection_readings'))!.n).toBe(before);

    // the same item red again: still one finding
    await inspectOrder(ctx, order.number, { sets: ['前制动片=2.4'] });
    expect((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM findings'))!.n).toBe(2);
  });

  it('remaining life from this car\'s own readings once it has two, shown on order and vehicle', async () => {
    const { order } = await openOrder(ctx, { plate: '京A12345', mileage: '40000' });
    await inspectOrder(ctx, order.number, { sets: ['前制动片=9'] });
    expect((await showOrder(ctx, order.number)).inspection[0]!.remaining_life).toEqual({ km: 24000, basis: 'template', wear_per_1000km: 0.25 });
    await addLine(ctx, order.number, 'labor', { description: '检查', hours: '1' });
    await approveOrder(ctx, order.number, {});
    await startWork(ctx, order.number, {});
    await qualityCheck(ctx, order.number, { pass: true });
    await deliverOrder(ctx, order.number, {});
    at('2026-12-01 09:00');
    const { order: second } = await openOrder(ctx, { plate: '京A12345', mileage: '50000' });
    await inspectOrder(ctx, second.number, { sets: ['前制动片=7'] });
    // 9 → 7 over 10 000 km = 0.2 mm/1000 km; 7 − 3 = 4 mm → 20 000 km
    const v = await showVehicle(ctx, '京A12345');
    expect(v.inspection.find((r) => r.item === '前制动片')!.remaining_life).toEqual({ km: 20000, basis: 'own', wear_per_1000km: 0.2 });
  });

  it('an imported template replaces thresholds for new readings only', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'quick.csv');
    fs.writeFileSync(file, 'item,group,kind,unit,better,yellow_at,red_at,min,max,wear_per_1000km\n刹车片,制动,measure,mm,higher,5,4,0,20,0.2\n灯光,电气,pass_fail,,,,,,,\n');
    expect(await importTemplate(ctx, file)).toEqual({ name: 'quick', items: 2, replaced: false });
    const { order } = await openOrder(ctx, { plate: '京A12345', mileage: '40000' });
    const r = await inspectOrder(ctx, order.number, { template: 'quick', sets: ['刹车片=4.5'] });
    expect(r.readings[0]!.colour).toBe('yellow');
    fs.writeFileSync(file, 'item,group,kind,unit,better,yellow_at,red_at,min,max,wear_per_1000km\n刹车片,制动,measure,mm,higher,3,2,0,20,0.2\n');
    expect((await importTemplate(ctx, file)).replaced).toBe(true);
    expect((await showOrder(ctx, order.number)).inspection[0]!.colour).toBe('yellow'); // history keeps its colour
  });
});

describe('declined-work', () => {
  it('golden file: the follow-up day after delivery, exclusions, the cooldown', async () => {
    await addCustomer(ctx, { name: '李四', phone: '13800000002', doNotContact: true });
    await addVehicle(ctx, { customer: '2', plate: '京B22222', mileage: '10000' });
    const deliveredWith = async (plate: string, day: string, severity?: string, followUp?: string) => {
      at(`${day} 09:00`);
      const { order } = await openOrder(ctx, { plate, mileage: plate === '京A12345' ? '40000' : '10000' });
      await addLine(ctx, order.number, 'labor', { description: '更换刹车片', hours: '2' });
      await addLine(ctx, order.number, 'labor', { description: '保养', hours: '1' });
      await declineOrderLines(ctx, order.number, { lines: '1', severity, followUp });
      await approveOrder(ctx, order.number, {});
      await startWork(ctx, order.number, {});
      await qualityCheck(ctx, order.number, { pass: true });
      at(`${day} 17:00`);
      await deliverOrder(ctx, order.number, {});
      return order.number;
    };
    const n = await deliveredWith('京A12345', '2026-11-02', 'safety');
    await deliveredWith('京B22222', '2026-11-02'); // do not contact: never listed
    const out = tempDir();
    const read = async (day: string) => {
      at(`${day} 12:00`);
      const r = await runJob(ctx, 'declined-work', { date: day, out });
      return fs.readFileSync(r.file!, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    };
    const header = 'plate,model,customer_name,phone,items,severity,found_on,order_number,estimate,days_open,last_contact';
    // delivered 11-02: follow-up day 11-16 (14 days)
    expect(await read('2026-11-15')).toEqual([header]);
    expect(await read('2026-11-16')).toEqual([header, `京A12345,帕萨特,张三,13800000001,更换刹车片,safety,2026-11-02,${n},240.00,14,`]);
    expect(await read('2026-11-16')).toHaveLength(2); // a re-run of the same day gives the same file
    // listed on 11-16: not again within 30 days (11-17 … 12-16), again on 12-17
    expect(await read('2026-11-17')).toEqual([header]);
    expect(await read('2026-12-16')).toEqual([header]);
    expect(await read('2026-12-17')).toEqual([header, `京A12345,帕萨特,张三,13800000001,更换刹车片,safety,2026-11-02,${n},240.00,45,`]);
  });
});
