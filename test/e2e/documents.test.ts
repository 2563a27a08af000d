/**
 * `pitstop print` through the binary (SPEC §11): one order carried through the whole visit, each
 * document compared with its golden HTML (test/golden-docs/, rewritten only with
 * PITSTOP_UPDATE_GOLDEN=1), hostile text escaped, no external references, the figures equal to
 * `order show --json`; PDF through Debian's Chromium (page count and text via poppler), a hanging
 * browser killed after PITSTOP_PRINT_TIMEOUT, and no browser at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, ROOT, tempDir } from '../helpers.js';

const GOLDEN = path.join(ROOT, 'test', 'golden-docs');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(has);
const poppler = has('pdfinfo') && has('pdftotext');

/** A whole visit: booking, check-in, lines of every kind, inspection, signatures, QC, payment, delivery. */
function visit(complaint = '刹车有异响，左前轮胎磨损') {
  const dir = tempDir();
  const db = path.join(dir, 'pitstop.db');
  const at = (t: string) => cliFor(db, t);
  const ok = (r: { code: number; stderr: string; stdout: string }) => {
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  };
  const a = at('2026-11-20 09:00');
  ok(a(['config', 'set', 'shop.name', '京诚汽车服务 4S 店']));
  ok(a(['config', 'set', 'shop.address', '北京市朝阳区东三环中路 1 号']));
  ok(a(['config', 'set', 'shop.phone', '010-12345678']));
  for (const [name, role] of [['李顾问', 'advisor'], ['王师傅', 'technician'], ['赵质检', 'inspector']]) ok(a(['staff', 'add', '--name', name!, '--role', role!]));
  ok(a(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']));
  ok(a(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--vin', 'LSVAA4183E2000001', '--make', '大众', '--model', '帕萨特', '--mileage', '48000', '-q']));
  const booking = ok(a(['booking', 'add', '--plate', '京A12345', '--at', '2026-11-23 09:00', '--service', '保养 + 刹车检查', '--complaint', complaint, '--advisor', '李顾问', '--estimate', '680', '--parts-value', '400', '--deposit', '200', '-q']));
  const b = at('2026-11-23 09:05');
  const ro = ok(b(['booking', 'arrive', booking, '--mileage', '50100', '--fuel', '1/2', '--belongings', '行车记录仪', '--damage', '右后门轻微划痕', '--key-tag', 'K-17', '--promised', '2026-11-23 17:00', '-q', '--no-input']));
  const c = at('2026-11-23 09:30');
  ok(c(['order', 'inspect', ro, '--set', '前制动片=2.5', '--set', '后制动片=6', '--set', '左前轮胎花纹=1.4', '--set', '雨刮片=fail:胶条老化']));
  ok(c(['order', 'labor', ro, '更换前刹车片', '--hours', '1.5', '-q']));
  ok(c(['order', 'part', ro, '前刹车片', '--qty', '1', '--price', '380', '--part-no', '3C0698151A', '-q']));
  ok(c(['order', 'part', ro, '机油 5W-30', '--qty', '4.5', '--price', '68.8', '--grade', 'aftermarket', '-q']));
  ok(c(['order', 'part', ro, '机油滤芯', '--qty', '1', '--customer-supplied', '-q']));
  ok(c(['order', 'fee', ro, '环保处理费', '--price', '15', '-q']));
  ok(c(['order', 'labor', ro, '更换左前轮胎', '--hours', '0.5', '-q']));
  ok(c(['order', 'approve', ro, '--lines', '1,2,3,4,5', '--by', '张三']));
  ok(c(['order', 'decline', ro, '--lines', '6', '--severity', 'safety', '--reason', '下次再换']));
  ok(at('2026-11-23 09:40')(['order', 'sign', ro, '--as', 'customer', '--name', '张三']));
  ok(at('2026-11-23 09:45')(['order', 'start', ro, '--tech', '王师傅']));
  const d = at('2026-11-23 11:00');
  ok(d(['order', 'labor', ro, '清洗节气门', '--hours', '0.5', '-q']));
  ok(d(['order', 'approve', ro, '--lines', '7']));
  ok(at('2026-11-23 15:30')(['order', 'qc', ro, '--pass', '--inspector', '赵质检', '--road-test']));
  const e = at('2026-11-23 16:00');
  ok(e(['order', 'sign', ro, '--as', 'customer', '--what', 'declined']));
  ok(e(['order', 'sign', ro, '--as', 'customer']));
  ok(e(['order', 'deliver', ro, '--paid', '600', '--method', 'wechat']));
  return { dir, db, at, ro, booking, run: at('2026-11-24 10:00') };
}

describe('pitstop print', () => {
  let v: ReturnType<typeof visit>;
  beforeAll(() => {
    v = visit();
  }, 120_000);

  it.each(['booking', 'estimate', 'settlement', 'release'] as const)('%s: the HTML matches its golden file, mode 0600, path on stdout', (kind) => {
    const ref = kind === 'booking' ? v.booking : v.ro;
    const r = v.run(['print', kind, ref]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const file = path.join(v.dir, 'documents', `${kind}-${ref}.html`);
    expect(r.stdout).toBe(`${file}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const html = fs.readFileSync(file, 'utf8');
    const golden = path.join(GOLDEN, `${kind}.html`);
    if (process.env.PITSTOP_UPDATE_GOLDEN === '1') fs.writeFileSync(golden, html);
    expect(html).toBe(fs.readFileSync(golden, 'utf8'));
    // self-contained: nothing fetched from anywhere
    expect(html).not.toMatch(/https?:|<script|<link|<img|src=|url\(|@import/i);
    expect(html).toContain('京诚汽车服务 4S 店');
    expect(html).toContain('北京市朝阳区东三环中路 1 号 · 010-12345678');
  });

  it('the settlement carries order show\'s figures to the cent', () => {
    const shown = JSON.parse(v.run(['order', 'show', v.ro, '--json']).stdout);
    const html = fs.readFileSync(path.join(v.dir, 'documents', `settlement-${v.ro}.html`), 'utf8');
    const yuan = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
    expect(shown.totals.total_cents).toBe(94460);
    for (const c of [shown.totals.labor_cents, shown.totals.parts_cents, shown.totals.fees_cents, shown.totals.total_cents, shown.totals.paid_cents, shown.totals.balance_cents]) {
      expect(html).toContain(`<td>${yuan(c)}</td>`);
    }
    expect(html).toContain(`<td>${yuan(shown.settlement.estimate_cents)}</td>`);
    expect(html).toContain('#7 清洗节气门 60.00'); // the line over the estimate
    for (const l of shown.lines.filter((x: { status: string }) => x.status === 'approved')) expect(html).toContain(`<td class="r">${yuan(l.amount_cents)}</td>`);
    expect(html).toContain('<td>2026-11-23 16:00</td><td>微信</td><td class="r">600.00</td>');
    expect(html).toContain('更换左前轮胎'); // declined, for the customer to sign
    expect(html).toContain('≈'); // remaining life of pads and tyres
    expect(html).toContain('客户签字（确认不修项目）');
  });

  it('the release note: warranty days and km from the settings, customer-supplied and no-guarantee lines excluded', () => {
    expect(v.run(['config', 'set', 'warranty.days', '30']).code).toBe(0);
    const r = v.run(['print', 'release', v.ro, '--lang', 'en', '--out', path.join(v.dir, 'release-en.html')]);
    expect(r.code, r.stderr).toBe(0);
    const html = fs.readFileSync(path.join(v.dir, 'release-en.html'), 'utf8');
    expect(html).toContain('guaranteed for 30 days or 5000 km from delivery, whichever comes first: until 2026-12-23 or 55100 km.');
    expect(html).toContain('Not covered (customer-supplied or no quality guarantee): #3 机油 5W-30; #4 机油滤芯');
    expect(html).toContain('<html lang="en">');
    expect(v.run(['config', 'set', 'warranty.days', '90']).code).toBe(0);
  });

  it('bad input: unknown kind, format, lang (2); unknown order or booking (3); nothing written', () => {
    const before = fs.readdirSync(path.join(v.dir, 'documents')).sort();
    let r = v.run(['print', 'invoice', v.ro]);
    expect([r.code, r.stderr]).toEqual([2, 'pitstop: invalid KIND "invoice": one of booking, estimate, settlement, release\n']);
    r = v.run(['print', 'estimate', v.ro, '--format', 'docx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --format "docx"');
    r = v.run(['print', 'estimate', v.ro, '--lang', 'fr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --lang "fr"');
    expect(v.run(['print', 'estimate', 'RO-20261123-0099']).code).toBe(3);
    expect(v.run(['print', 'booking', '999']).code).toBe(3);
    r = v.run(['print', 'estimate', v.ro, '--out', path.join(v.dir, 'no-such-folder', 'x.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-folder" does not exist');
    expect(fs.readdirSync(path.join(v.dir, 'documents')).sort()).toEqual(before);
    // a folder as --out: the file goes into it under its default name
    const folder = path.join(v.dir, 'to-print');
    fs.mkdirSync(folder);
    r = v.run(['print', 'estimate', v.ro, '--out', folder]);
    expect(r.stdout).toBe(`${path.join(folder, `estimate-${v.ro}.html`)}\n`);
  });
});

describe('hostile text', () => {
  it('what an advisor typed never becomes markup', () => {
    const evil = `<script>alert(1)</script></td></tr><img src=x onerror=alert(2)> "quoted" & 'single'`;
    const v = visit(evil);
    expect(v.run(['order', 'edit', v.ro, '--complaint', evil]).code).toBe(0);
    for (const kind of ['booking', 'estimate'] as const) {
      const r = v.run(['print', kind, kind === 'booking' ? v.booking : v.ro]);
      expect(r.code, r.stderr).toBe(0);
      const html = fs.readFileSync(r.stdout.trim(), 'utf8');
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;/td&gt;&lt;/tr&gt;&lt;img src=x onerror=alert(2)&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    }
  }, 120_000);
});

describe('PDF', () => {
  it('no browser: exit 2 naming print.browser; nothing written', () => {
    const v = visit();
    const emptyBin = path.join(v.dir, 'bin');
    fs.mkdirSync(emptyBin);
    const r = v.run(['print', 'estimate', v.ro, '--format', 'pdf'], { PATH: emptyBin });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pitstop: no browser to print PDF with: set print.browser/);
    expect(fs.existsSync(path.join(v.dir, 'documents'))).toBe(false);
    const bad = v.run(['config', 'set', 'print.browser', '/no/such/chromium']);
    expect(bad.code).toBe(0);
    const r2 = v.run(['print', 'estimate', v.ro, '--format', 'pdf']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('invalid print.browser "/no/such/chromium"');
  }, 120_000);

  it('a browser that hangs is killed after PITSTOP_PRINT_TIMEOUT: exit 5, no file, no temp left', () => {
    const v = visit();
    const fake = path.join(v.dir, 'hanging-browser.sh');
    // a marker no other process has: the browser and the child it leaves behind
    const marker = String(600_000 + Math.floor(Math.random() * 99_999));
    fs.writeFileSync(fake, `#!/bin/sh\nsleep ${marker} &\nsleep ${marker}\n`, { mode: 0o755 });
    expect(v.run(['config', 'set', 'print.browser', fake]).code).toBe(0);
    const out = path.join(v.dir, 'out.pdf');
    const r = v.run(['print', 'settlement', v.ro, '--format', 'pdf', '--out', out], { PITSTOP_PRINT_TIMEOUT: '1' });
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(`pitstop: the browser ${fake} did not finish printing within 1 s (PITSTOP_PRINT_TIMEOUT); it was stopped and no PDF was written\n`);
    expect(fs.readdirSync(v.dir).filter((f) => /out|\.tmp/.test(f))).toEqual([]);
    // the whole process group went: no sleep of the fake browser is left
    const left = () => spawnSync('sh', ['-c', `ps -eo stat=,args= | grep -v '^Z' | grep -c 'sleep ${marker}$' || true`], { encoding: 'utf8' }).stdout.trim();
    for (let i = 0; i < 50 && left() !== '0'; i++) spawnSync('sleep', ['0.1']);
    expect(left()).toBe('0');
  }, 120_000);

  it.skipIf(!chromium || !poppler)('each kind prints to a one-page PDF holding the order number, the plate and the total; a long order flows onto page 2 with the header', () => {
    const v = visit();
    for (const kind of ['booking', 'estimate', 'settlement', 'release'] as const) {
      const ref = kind === 'booking' ? v.booking : v.ro;
      const r = v.run(['print', kind, ref, '--format', 'pdf']);
      expect(r.code, r.stderr).toBe(0);
      const [html, pdf] = r.stdout.trim().split('\n');
      expect(html).toMatch(/\.html$/);
      expect(pdf).toBe(path.join(v.dir, 'documents', `${kind}-${ref}.pdf`));
      expect(fs.statSync(pdf!).mode & 0o777).toBe(0o600);
      const info = spawnSync('pdfinfo', [pdf!], { encoding: 'utf8' }).stdout;
      expect(info, kind).toMatch(/Pages:\s+1\n/);
      expect(info).toMatch(/Page size:\s+59\d\.\d+ x 84\d\.\d+ pts \(A4\)/);
      const text = spawnSync('pdftotext', ['-layout', pdf!, '-'], { encoding: 'utf8' }).stdout;
      expect(text, kind).toContain('京A12345');
      if (kind !== 'booking') expect(text, kind).toContain(v.ro);
      if (kind === 'estimate' || kind === 'settlement') expect(text, kind).toContain('944.60');
    }
    // 60 more lines: two pages, the shop and the order on both
    const next = v.run(['order', 'open', '--plate', '京A12345', '--mileage', '50300', '-q', '--no-input']);
    expect(next.code, next.stderr).toBe(0);
    const long = { ro: next.stdout.trim() };
    for (let i = 1; i <= 60; i++) expect(v.run(['order', 'fee', long.ro, `附加项目 ${i}`, '--price', '1', '-q']).code).toBe(0);
    const r = v.run(['print', 'estimate', long.ro, '--format', 'pdf']);
    expect(r.code, r.stderr).toBe(0);
    const pdf = r.stdout.trim().split('\n')[1]!;
    expect(spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout).toMatch(/Pages:\s+2\n/);
    for (const page of ['1', '2']) {
      const text = spawnSync('pdftotext', ['-f', page, '-l', page, pdf, '-'], { encoding: 'utf8' }).stdout;
      expect(text, `page ${page}`).toContain('京诚汽车服务');
      expect(text, `page ${page}`).toContain('北京市朝阳区东三环中路 1 号');
      expect(text, `page ${page}`).toContain(long.ro);
    }
  }, 300_000);
});

if (!chromium || !poppler) {
  console.warn('documents: PDF tests skipped: install chromium and poppler-utils (Debian) to run them');
}
