/**
 * Do our CSVs open cleanly in a real spreadsheet? LibreOffice (headless) reads a generated file as
 * UTF-8 CSV and writes it back as CSV: text comes back quoted, numbers and dates unquoted, so the
 * round trip shows how each cell was understood. Skipped when soffice is not installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliFor, tempDir, testCtx } from '../helpers.js';
import { seedJobsFixture } from '../integration/jobs-fixture.js';

const soffice = ['soffice', 'libreoffice'].find((bin) => spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0);

describe.skipIf(!soffice)('CSV in LibreOffice Calc', () => {
  it('Chinese text, numbers, dates, multi-line cells and guarded formulas come through', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const ctx = await testCtx('2026-11-23 10:00', db);
    await seedJobsFixture(ctx);
    await ctx.db.close();
    const out = path.join(dir, 'out');
    expect(cliFor(db)(['jobs', 'run', 'callbacks', '--out', out]).code).toBe(0);
    expect(cliFor(db)(['jobs', 'run', 'preparation', '--out', out]).code).toBe(0);
    const back = path.join(dir, 'back');
    const r = spawnSync(
      soffice!,
      [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--headless', '--norestore',
        '--infilter=CSV:44,34,76,1', // comma, double quote, UTF-8, from line 1
        '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1',
        '--outdir', back,
        path.join(out, 'callbacks-2026-11-23.csv'), path.join(out, 'preparation-2026-11-23.csv'),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const callbacks = fs.readFileSync(path.join(back, 'callbacks-2026-11-23.csv'), 'utf8').split('\n');
    // the BOM is consumed, not part of the first header
    expect(callbacks[0]!.startsWith('"order_number"')).toBe(true);
    // dates and money are numbers (unquoted; 300.00 shown as 300), Chinese intact, the formula stays text
    expect(callbacks[1]).toBe(`"RO-20261118-0001",2026-11-18,5,"'=HYPERLINK(""x"")",13800000004,"沪A10004",,"repair",1234.56,"王顾问","李专员","10:00-11:30,14:00-17:00",1,"repeat;rework"`);
    expect(callbacks[2]).toBe('"RO-20261120-0001",2026-11-20,3,"王五",13800000003,"沪A10006","CR-V","repair",300,"赵专员","李专员","09:00-10:00",1,"complaint"');
    const prep = fs.readFileSync(path.join(back, 'preparation-2026-11-23.csv'), 'utf8');
    // a line break inside a cell stays inside the cell; a leading "-" in text stays text
    expect(prep).toContain('"刹车异响\n请检查"');
    expect(prep).toContain(`"'-更换减震器"`);
    expect(prep.split('\n').filter((l) => l.startsWith('6,'))[0]).toMatch(/^6,2026-11-24 23:30:00,"沪A10004",,"'=HYPERLINK\(""x""\)",,"'-刹车异响",,0,0,"RO-20261118-0001",,"'-更换减震器",2026-11-17,22000$/);
  });
});
