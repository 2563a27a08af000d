/**
 * PDF through a headless Chromium found on the machine (SPEC §11, §16; PITFALLS.md "Headless Chromium"):
 * the `print.browser` setting, else `chromium`, `chromium-browser`, `google-chrome` on PATH. It runs
 * with a fresh profile, no network services, no header or footer, in its own process group; past the
 * timeout (PITSTOP_PRINT_TIMEOUT seconds, default 60) the whole group is killed and nothing is written.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalid, PitstopError, Exit } from '../errors.js';
import { commitTemp, removeStaleTemps } from '../fsx/atomic.js';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** The browser to print with, or exit 2 naming `print.browser` (§16). */
export function findBrowser(setting: string, env: NodeJS.ProcessEnv = process.env): string {
  if (setting) {
    try {
      fs.accessSync(setting, fs.constants.X_OK);
      return setting;
    } catch {
      throw invalid('print.browser', setting, 'an installed Chromium or Chrome program (this path is not an executable file)');
    }
  }
  for (const name of CANDIDATES) {
    const found = onPath(name, env);
    if (found) return found;
  }
  throw new PitstopError(
    Exit.usage,
    `no browser to print PDF with: set print.browser to a Chromium or Chrome program (pitstop config set print.browser /usr/bin/chromium), or install one (Debian: apt-get install chromium); --format html needs none`,
  );
}

/** Whether a font with Chinese glyphs is installed (fontconfig); null when fontconfig is absent. */
export function hasChineseFont(): boolean | null {
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return null;
  return r.status === 0 && r.stdout.trim().length > 0;
}

export function printTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PITSTOP_PRINT_TIMEOUT;
  if (text === undefined || text === '') return 60_000;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw invalid('PITSTOP_PRINT_TIMEOUT', text, 'seconds, from 1 to 3600');
  return Math.round(n * 1000);
}

/** Print `html` to the PDF file `target` (atomic, mode 0600). */
export async function printPdf(browser: string, html: string, target: string, timeoutMs: number): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pitstop-print-'));
  removeStaleTemps(target);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    const page = path.join(work, 'document.html');
    fs.writeFileSync(page, html, { mode: 0o600 });
    const args = [
      '--headless', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-extensions', '--mute-audio', `--user-data-dir=${path.join(work, 'profile')}`,
      '--no-pdf-header-footer', '--run-all-compositor-stages-before-draw', `--print-to-pdf=${temp}`,
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      pathToFileURL(page).href,
    ];
    const outcome = await new Promise<{ code: number | null; timedOut: boolean; stderr: string }>((resolve, reject) => {
      const child = spawn(browser, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let timedOut = false;
      child.stderr!.on('data', (d: Buffer) => {
        if (stderr.length < 4000) stderr += d.toString('utf8');
      });
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new PitstopError(Exit.storage, `cannot run the browser ${browser}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        // a renderer left behind by a browser that exited still belongs to the group
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* the group is gone */
        }
        resolve({ code, timedOut, stderr });
      });
    });
    if (outcome.timedOut) {
      throw new PitstopError(Exit.storage, `the browser ${browser} did not finish printing within ${timeoutMs / 1000} s (PITSTOP_PRINT_TIMEOUT); it was stopped and no PDF was written`);
    }
    let head = '';
    try {
      const fd = fs.openSync(temp, 'r');
      const b = Buffer.alloc(5);
      fs.readSync(fd, b, 0, 5, 0);
      fs.closeSync(fd);
      head = b.toString('latin1');
    } catch {
      /* no file */
    }
    if (outcome.code !== 0 || head !== '%PDF-') {
      const why = outcome.stderr.split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0] ?? '';
      throw new PitstopError(Exit.storage, `the browser ${browser} did not print a PDF (exit ${outcome.code}${why ? `: ${why.slice(0, 200)}` : ''}); no PDF was written`);
    }
    fs.chmodSync(temp, 0o600);
    await commitTemp(temp, target);
  } finally {
    fs.rmSync(temp, { force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}
