/**
 * Do our workbooks open right in a real spreadsheet? LibreOffice (headless) converts each workbook to
 * CSV: text cells come back quoted, numbers and dates unquoted as their format shows them, so the round
 * trip shows how each cell was understood. And the other way: LibreOffice saves the CSV fixtures
 * (GBK-era data included) as .xlsx — phones typed as numbers, dates as date cells — and pitstop
 * imports them as it imports the CSVs. Skipped, with a message, where soffice is not installed
 * (`apt-get install libreoffice-calc-nogui`; .ci/run installs it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliFor, ROOT, tempDir, testCtx } from '../helpers.js';
import { seedJobsFixture } from '../integration/jobs-fixture.js';

const soffice = ['soffice', 'libreoffice'].find((bin) => spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0);
if (!soffice) console.warn('xlsx-libreoffice: SKIPPED, LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui');

/** Convert files with LibreOffice into `outdir` (`to`: a filter such as csv:… or xlsx). */
function convert(dir: string, to: string, outdir: string, files: string[], infilter?: string): void {
  const r = spawnSync(
    soffice!,
    [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', ...(infilter ? [`--infilter=${infilter}`] : []), '--convert-to', to, '--outdir', outdir, ...files],
    { encoding: 'utf8', timeout: 180_000 },
  );
  expect(r.status, r.stderr).toBe(0);
}
const TO_CSV = 'csv:Text - txt - csv (StarCalc):44,34,76,1';

describe.skipIf(!soffice)('workbooks in LibreOffice Calc', () => {
  it('job and export workbooks: text keeps every digit, money and dates are numbers, formulas stay text', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const ctx = await testCtx('2026-11-23 10:00', db);
    await seedJobsFixture(ctx);
    await ctx.db.close();
    const run = cliFor(db);
    expect(run(['customer', 'add', '--name', '0012', '--phone', '02157970561', '--kind', 'fleet', '--company', '=1+1']).code).toBe(0);
    expect(run(['customer', 'add', '--name', '1E5', '--phone', '057187654321', '--kind', 'fleet']).code).toBe(0);
    const out = path.join(dir, 'out');
    const jobs = run(['jobs', 'run', 'callbacks', '--out', out, '--format', 'both']);
    expect(jobs.stdout).toBe(`callbacks 2026-11-23: 4 rows ${out}/callbacks-2026-11-23.csv\ncallbacks 2026-11-23: 4 rows ${out}/callbacks-2026-11-23.xlsx\n`);
    expect(run(['jobs', 'run', 'preparation', '--out', out, '--format', 'xlsx']).code).toBe(0);
    const customers = path.join(out, 'customers.xlsx');
    expect(run(['export', 'customers', '--format', 'xlsx', '--out', customers]).code).toBe(0);

    const back = path.join(dir, 'back');
    convert(dir, TO_CSV, back, ['callbacks-2026-11-23.xlsx', 'preparation-2026-11-23.xlsx', 'customers.xlsx'].map((f) => path.join(out, f)));
    const callbacks = fs.readFileSync(path.join(back, 'callbacks-2026-11-23.csv'), 'utf8').split('\n');
    expect(callbacks[0]!.startsWith('"order_number","delivered_on"')).toBe(true);
    // the phone is text with every digit; the formula is text without an added apostrophe; money shows 2 decimals
    expect(callbacks[1]).toBe('"RO-20261118-0001",2026-11-18,5,"=HYPERLINK(""x"")","13800000004","沪A10004",,"repair",1234.56,"王顾问","李专员","10:00-11:30,14:00-17:00",1,"repeat;rework"');
    expect(callbacks[2]).toBe('"RO-20261120-0001",2026-11-20,3,"王五","13800000003","沪A10006","CR-V","repair",300.00,"赵专员","李专员","09:00-10:00",1,"complaint"');
    const prep = fs.readFileSync(path.join(back, 'preparation-2026-11-23.csv'), 'utf8');
    expect(prep).toContain('"刹车异响\n请检查"');
    // a date-time is a date cell showing the shop-local time (the process runs in another zone)
    expect(prep.split('\n').filter((l) => l.startsWith('6,'))[0]).toMatch(/^6,2026-11-24 23:30,"沪A10004",,"=HYPERLINK\(""x""\)",,"-刹车异响",,0.00,0.00,"RO-20261118-0001",,"-更换减震器",2026-11-17,22000$/);
    const exported = fs.readFileSync(path.join(back, 'customers.csv'), 'utf8');
    expect(exported).toMatch(/\n\d+,"0012","02157970561","fleet","=1\+1",,,0,2026-11-23 10:00,0,0(,)?\n/);
    expect(exported).toMatch(/\n\d+,"1E5","057187654321","fleet",,,,0,2026-11-23 10:00,0,0(,)?\n/);
  });

  it('imports workbooks LibreOffice saved from the CSV fixtures, GBK data included, as it imports the CSVs', { timeout: 300_000 }, () => {
    const dir = tempDir();
    const fixtures = path.join(ROOT, 'fixtures', 'import');
    const utf8 = path.join(dir, 'src');
    fs.mkdirSync(utf8);
    for (const name of ['customers-gbk.csv', 'vehicles-gbk.csv', 'customers-utf8-bom.csv', 'customers-invalid.csv']) {
      const text = new TextDecoder(name.includes('gbk') ? 'gb18030' : 'utf-8').decode(fs.readFileSync(path.join(fixtures, name)));
      fs.writeFileSync(path.join(utf8, name), text);
    }
    const books = path.join(dir, 'books');
    convert(dir, 'xlsx', books, fs.readdirSync(utf8).map((n) => path.join(utf8, n)), 'CSV:44,34,76,1');

    const viaCsv = cliFor(path.join(dir, 'csv.db'));
    const viaXlsx = cliFor(path.join(dir, 'xlsx.db'));
    for (const [kind, name] of [['customers', 'customers-gbk'], ['vehicles', 'vehicles-gbk'], ['customers', 'customers-utf8-bom']] as const) {
      expect(viaCsv(['import', kind, path.join(fixtures, `${name}.csv`)]).code).toBe(0);
      const r = viaXlsx(['import', kind, path.join(books, `${name}.xlsx`)]);
      expect([r.code, r.stderr]).toEqual([0, '']);
    }
    const list = (run: typeof viaCsv, what: string) => run([what, 'list', '--json']).stdout;
    expect(list(viaXlsx, 'customer')).toBe(list(viaCsv, 'customer'));
    expect(list(viaXlsx, 'vehicle')).toBe(list(viaCsv, 'vehicle'));
    expect(JSON.parse(viaXlsx(['vehicle', 'show', '沪A12345', '--json']).stdout)).toMatchObject({ vehicle: { purchased_on: '2021-05-01' } });

    // all or nothing, errors by spreadsheet row number, exactly as for the CSV
    const bad = viaXlsx(['import', 'customers', path.join(books, 'customers-invalid.xlsx')]);
    const badCsv = viaCsv(['import', 'customers', path.join(utf8, 'customers-invalid.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.replaceAll(path.join(books, 'customers-invalid.xlsx'), 'X')).toBe(badCsv.stderr.replaceAll(path.join(utf8, 'customers-invalid.csv'), 'X'));
    expect(bad.stderr).toContain('line 6: expected 2 cells like the header, found 3');
  });
});
