/**
 * The interactive `customer add` through a pseudo-terminal: stdin and stderr are a terminal, stdout is a
 * pipe (as in `ID=$(pitstop customer add -q)`), so the prompts must go to stderr and stdout stay clean.
 * Driven by python3's pty module; skipped when python3 is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cliFor, tempDir } from '../helpers.js';

const DRIVER = String.raw`
import json, os, select, subprocess, sys, time
spec = json.loads(sys.argv[1])
master, slave = os.openpty()
p = subprocess.Popen(spec['cmd'], stdin=slave, stderr=slave, stdout=subprocess.PIPE, env=spec['env'], start_new_session=True)
os.close(slave)
screen = b''
pos = 0
deadline = time.time() + 30
def pump(wait):
    global screen
    r, _, _ = select.select([master], [], [], wait)
    if r:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        screen += chunk
    return True
for expect, send in spec['steps']:
    needle = expect.encode()
    while screen.find(needle, pos) < 0:
        if time.time() > deadline or not pump(0.2):
            p.kill()
            print(json.dumps({'code': None, 'stdout': '', 'screen': screen.decode('utf8', 'replace'), 'error': 'no prompt ' + expect}))
            sys.exit(0)
    pos = screen.find(needle, pos) + len(needle)
    time.sleep(0.1)
    os.write(master, send.encode())
try:
    stdout, _ = p.communicate(timeout=max(1, deadline - time.time()))
except subprocess.TimeoutExpired:
    p.kill()
    stdout, _ = p.communicate()
while pump(0.05):
    pass
print(json.dumps({'code': p.returncode, 'stdout': stdout.decode('utf8', 'replace'), 'screen': screen.decode('utf8', 'replace')}))
`;

const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

function atTerminal(db: string, args: string[], steps: Array<[string, string]>) {
  const spec = {
    cmd: [process.execPath, BIN, ...args],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'America/New_York', TERM: 'xterm', PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00', PITSTOP_USER: 'desk' },
    steps,
  };
  const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify(spec)], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { code: number | null; stdout: string; screen: string; error?: string };
}

describe.skipIf(!hasPython)('interactive customer add', () => {
  it('asks for what is missing on stderr and creates the customer', () => {
    const db = path.join(tempDir(), 'pitstop.db');
    const r = atTerminal(db, ['customer', 'add', '-q'], [
      ['Name', '张伟\r'],
      ['Kind', '\r'],
      ['Phone', '12345\r'], // refused at the prompt, asked again
      ['11 digits', '\x15+86 138-0000-0001\r'], // Ctrl-U clears the bad answer
      ['Address', '北京市朝阳区\r'],
      ['Note', '\r'],
    ]);
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n'); // only the id: the prompts went to the terminal
    const show = JSON.parse(cliFor(db)(['customer', 'show', '1', '--json']).stdout) as { customer: Record<string, unknown> };
    expect(show.customer).toMatchObject({ name: '张伟', phone: '13800000001', kind: 'private', address: '北京市朝阳区', note: null });
  });

  it('asks only for what the flags did not give; fleet asks for the company', () => {
    const db = path.join(tempDir(), 'pitstop.db');
    const r = atTerminal(db, ['customer', 'add', '--name', '快运车队', '--kind', 'fleet', '--address', '', '--note', ''], [
      ['Phone', '010-88886666\r'],
      ['Company', '北京快运有限公司\r'],
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('added customer 1 快运车队 01088886666\n');
    expect(r.screen).not.toContain('Name');
    const show = JSON.parse(cliFor(db)(['customer', 'show', '1', '--json']).stdout) as { customer: Record<string, unknown> };
    expect(show.customer).toMatchObject({ kind: 'fleet', company: '北京快运有限公司' });
  });

  it('Ctrl-C at a prompt exits 130 with nothing written', () => {
    const db = path.join(tempDir(), 'pitstop.db');
    const r = atTerminal(db, ['customer', 'add'], [['Name', '张\x03']]);
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.screen).toContain('pitstop: cancelled, nothing written');
    // customer add would have created the database: cancelled, it leaves none behind
    expect(cliFor(db)(['customer', 'list', '--json']).code).toBe(3);
    expect(fs.readdirSync(path.dirname(db))).toEqual([]);
  });

  it('--no-input at a terminal still refuses instead of asking', () => {
    const db = path.join(tempDir(), 'pitstop.db');
    const r = atTerminal(db, ['--no-input', 'customer', 'add', '--name', '张伟'], []);
    expect(r.code).toBe(2);
    expect(r.screen).toContain('pitstop: missing required --phone');
  });
});

describe.skipIf(!hasPython)('progress on a terminal', () => {
  it('import shows progress on stderr at a terminal (and nothing extra in a pipe, see import.test.ts)', () => {
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const file = path.join(dir, 'c.csv');
    const lines = ['name,phone'];
    for (let i = 0; i < 20_000; i++) lines.push(`客户${i},139${String(i).padStart(8, '0')}`);
    fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
    const r = atTerminal(db, ['import', 'customers', file], []);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`imported 20000 customers from ${file}\n`);
    // the file is streamed: rows so far and how much of the file has been read
    expect(r.screen).toMatch(/checked 10000 rows \(\d+% of the file\)/);
    expect(r.screen).toContain('imported 20000 rows');
  });
});
