/** Issue 13 items 2–3 through the built binary: a FIFO or a link to one is never replaced by export or backup. */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliFor, tempDir } from '../helpers.js';

describe('only regular files are replaced (binary)', () => {
  it('export --out and backup --force onto a FIFO or a /dev/null-like link: exit 2 naming the flag, the FIFO left alone; a regular file is replaced', () => {
    const dir = tempDir('pitstop-e2e-atomic-');
    const run = cliFor(path.join(dir, 'pitstop.db'));
    expect(run(['customer', 'add', '--name', '张伟', '--phone', '13800000001', '-q']).code).toBe(0);
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const devnull = path.join(dir, 'null');
    fs.symlinkSync(fifo, devnull);
    for (const target of [fifo, devnull]) {
      const e = run(['export', 'customers', '--out', target]);
      expect([e.code, e.stdout]).toEqual([2, '']);
      expect(e.stderr).toMatch(/^pitstop: .*--out/);
      const b = run(['backup', '--force', target]);
      expect(b.code).toBe(2);
      expect(b.stderr).toMatch(/^pitstop: .*--force/);
    }
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    const file = path.join(dir, 'customers.csv');
    fs.writeFileSync(file, 'yesterday');
    expect(run(['export', 'customers', '--out', file]).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('13800000001');
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
