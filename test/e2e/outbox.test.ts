/**
 * The message outbox through the binary (SPEC §13, §16) against a local HTTP server on 127.0.0.1
 * (test/e2e/outbox-server.mjs) and a command sender: 200, 500, 429 + Retry-After, a slow answer past
 * the timeout, a closed port; quiet hours; consent re-checked at send time; secrets never shown; and
 * the crash test: `outbox send` SIGKILLed at random moments never delivers one key as two different
 * messages, never loses one; two sends at once never send one message twice.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { BIN, ROOT, cliFor, tempDir } from '../helpers.js';

const readCsv = (file: string) => parse(fs.readFileSync(file, 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;

const SERVER = path.join(ROOT, 'test', 'e2e', 'outbox-server.mjs');
const SECRET = 'Zq9vK-hmac-token-4711';
const servers: ChildProcess[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.kill('SIGKILL');
});

async function gateway(mode: string, log: string): Promise<number> {
  const child = spawn(process.execPath, [SERVER], { env: { ...process.env, MODE: mode, LOG: log }, stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(child);
  return new Promise((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
}

interface Received { key: string; signature: string | null; body: string; answered: string }
const received = (log: string): Received[] => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Received) : []);

/** A shop with `n` bookings tomorrow, the reminders' messages queued. */
function shop(n: number, now = '2026-11-23 10:00') {
  const dir = tempDir();
  const db = path.join(dir, 'pitstop.db');
  const run = cliFor(db, now);
  const ok = (args: string[]) => {
    const r = run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };
  for (let i = 1; i <= n; i++) {
    const phone = `1380000${String(i).padStart(4, '0')}`;
    ok(['customer', 'add', '--name', `客户${i}`, '--phone', phone, '-q']);
    ok(['vehicle', 'add', '--customer', String(i), '--plate', `京A${String(10000 + i)}`, '--mileage', '50000', '-q']);
    ok(['booking', 'add', '--plate', `京A${String(10000 + i)}`, '--at', `2026-11-24 ${String(8 + Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`, '--force', '-q']);
  }
  ok(['config', 'set', 'jobs.appointment-reminders.send', 'on']);
  ok(['config', 'set', 'outbox.secret', SECRET]);
  const r = run(['jobs', 'run', 'appointment-reminders', '--out', path.join(dir, 'out')]);
  expect(r.code, r.stderr).toBe(0);
  return { dir, db, run, ok, log: path.join(dir, 'received.jsonl') };
}

const list = (run: ReturnType<typeof cliFor>, status?: string) => JSON.parse(run(['outbox', 'list', '--json', ...(status ? ['--status', status] : [])]).stdout) as Array<Record<string, unknown>>;

describe('outbox send through a webhook', () => {
  it('200: each message once, signed, with its key; a re-run of the list queues nothing new', async () => {
    const s = shop(3);
    const port = await gateway('ok', s.log);
    s.ok(['config', 'set', 'outbox.webhook', `http://127.0.0.1:${port}/sms`]);
    expect(list(s.run, 'queued')).toHaveLength(3);
    const r = s.run(['outbox', 'send']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('outbox: 3 sent, 0 to retry, 0 failed, 0 cancelled, 0 held\n');
    const got = received(s.log);
    expect(got.map((g) => g.key).sort()).toEqual(['appointment-reminders/2026-11-23/booking:1', 'appointment-reminders/2026-11-23/booking:2', 'appointment-reminders/2026-11-23/booking:3']);
    for (const g of got) {
      expect(g.signature).toBe(`sha256=${crypto.createHmac('sha256', SECRET).update(g.body).digest('hex')}`);
      const body = JSON.parse(g.body);
      expect(body).toMatchObject({ idempotency_key: g.key, kind: 'appointment-reminders', template: 'appointment-reminders' });
      expect(body.text).toContain('京A1000');
      expect(body.params).toMatchObject({ booking_id: expect.any(String), plate: expect.stringMatching(/^京A1000/) });
    }
    expect(list(s.run, 'sent')).toHaveLength(3);
    expect(s.run(['jobs', 'run', 'appointment-reminders', '--out', path.join(s.dir, 'out')]).code).toBe(0);
    expect(list(s.run)).toHaveLength(3);
    expect(s.run(['outbox', 'send']).stdout).toBe('outbox: 0 sent, 0 to retry, 0 failed, 0 cancelled, 0 held\n');
    expect(received(s.log)).toHaveLength(3);
  });

  it('500 is retried with backoff, then failed at max_attempts; retry puts it back', async () => {
    const s = shop(1);
    const port = await gateway('fail', s.log);
    s.ok(['config', 'set', 'outbox.webhook', `http://127.0.0.1:${port}/sms`]);
    s.ok(['config', 'set', 'outbox.max_attempts', '2']);
    expect(s.run(['outbox', 'send']).stdout).toBe('outbox: 0 sent, 1 to retry, 0 failed, 0 cancelled, 0 held\n');
    const [m] = list(s.run);
    expect(m).toMatchObject({ status: 'queued', attempts: 1, next_at: expect.stringMatching(/^2026-11-23T02:01:00\./), last_error: `HTTP 500 from http://127.0.0.1:${port}/sms` });
    expect(s.run(['outbox', 'send']).stdout).toContain('0 sent, 0 to retry'); // not due yet
    const later = cliFor(s.db, '2026-11-23 10:02');
    expect(later(['outbox', 'send']).stdout).toBe('outbox: 0 sent, 0 to retry, 1 failed, 0 cancelled, 0 held\n');
    expect(list(later, 'failed')).toHaveLength(1);
    expect(later(['outbox', 'retry', String(m!.id)]).stdout).toBe(`message ${m!.id}: queued\n`);
    expect(later(['outbox', 'retry', String(m!.id)]).code).toBe(4);
    expect(later(['outbox', 'retry', '999']).code).toBe(3);
    expect(received(s.log)).toHaveLength(2);
  });

  it('429 waits as long as Retry-After says; a slow answer past outbox.timeout and a closed port are retried', async () => {
    const s = shop(1);
    const busy = await gateway('busy', s.log);
    s.ok(['config', 'set', 'outbox.webhook', `http://127.0.0.1:${busy}/sms`]);
    expect(s.run(['outbox', 'send']).code).toBe(0);
    expect(list(s.run)[0]).toMatchObject({ status: 'queued', next_at: expect.stringMatching(/^2026-11-23T02:02:00\./), last_error: `HTTP 429 from http://127.0.0.1:${busy}/sms` });

    const slow = await gateway('slow', s.log);
    s.ok(['config', 'set', 'outbox.webhook', `http://127.0.0.1:${slow}/sms`]);
    s.ok(['config', 'set', 'outbox.timeout', '1']);
    const at = cliFor(s.db, '2026-11-23 10:03');
    expect(at(['outbox', 'send']).code).toBe(0);
    expect(list(at)[0]).toMatchObject({ status: 'queued', attempts: 2, last_error: `http://127.0.0.1:${slow}/sms: no answer within 1 s` });

    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    s.ok(['config', 'set', 'outbox.webhook', `http://127.0.0.1:${closed}/sms`]);
    const later = cliFor(s.db, '2026-11-23 10:20');
    expect(later(['outbox', 'send']).code).toBe(0);
    expect(list(later)[0]).toMatchObject({ status: 'queued', attempts: 3, last_error: `http://127.0.0.1:${closed}/sms: ECONNREFUSED` });
  });
});

describe('outbox send through a command', () => {
  it('exit 0 is sent, with the message as JSON on stdin; exit 1 retried; a hanging command killed after the timeout', () => {
    const s = shop(1);
    const got = path.join(s.dir, 'got.json');
    s.ok(['config', 'set', 'outbox.command', `cat > ${got}; exit 1`]);
    expect(s.run(['outbox', 'send']).stdout).toContain('1 to retry');
    expect(list(s.run)[0]).toMatchObject({ last_error: 'outbox.command exit 1' });
    s.ok(['config', 'set', 'outbox.command', 'sleep 30']);
    s.ok(['config', 'set', 'outbox.timeout', '1']);
    const at = cliFor(s.db, '2026-11-23 10:02');
    expect(at(['outbox', 'send']).stdout).toContain('1 to retry');
    expect(list(at)[0]).toMatchObject({ last_error: 'outbox.command did not finish within 1 s; it was stopped' });
    s.ok(['config', 'set', 'outbox.command', `cat > ${got}`]);
    const later = cliFor(s.db, '2026-11-23 10:10');
    expect(later(['outbox', 'send']).stdout).toBe('outbox: 1 sent, 0 to retry, 0 failed, 0 cancelled, 0 held\n');
    expect(JSON.parse(fs.readFileSync(got, 'utf8'))).toMatchObject({ idempotency_key: 'appointment-reminders/2026-11-23/booking:1', to: '13800000001' });
  });
});

describe('what send checks at send time', () => {
  it('quiet hours hold the messages until they end', () => {
    const s = shop(2);
    s.ok(['config', 'set', 'outbox.command', 'cat > /dev/null']);
    s.ok(['config', 'set', 'outbox.quiet', '10:00-11:00']);
    const quiet = cliFor(s.db, '2026-11-23 10:30');
    expect(quiet(['outbox', 'send']).stdout).toBe('outbox: 0 sent, 0 to retry, 0 failed, 0 cancelled, 2 held; quiet hours (outbox.quiet): the rest wait for their end\n');
    expect(list(quiet, 'held').map((x) => x.next_at)).toEqual(['2026-11-23T03:00:00.000Z', '2026-11-23T03:00:00.000Z']);
    expect(cliFor(s.db, '2026-11-23 10:59')(['outbox', 'send']).stdout).toContain('0 sent');
    expect(cliFor(s.db, '2026-11-23 11:00')(['outbox', 'send']).stdout).toContain('2 sent');
  });

  it('a customer who opts out after queueing gets nothing; a cancelled booking\'s reminder is cancelled', () => {
    const s = shop(2);
    const got = path.join(s.dir, 'got.jsonl');
    s.ok(['config', 'set', 'outbox.command', `cat >> ${got}; echo >> ${got}`]);
    s.ok(['customer', 'edit', '1', '--no-messages']);
    s.ok(['booking', 'cancel', '2']);
    expect(s.run(['outbox', 'send']).stdout).toBe('outbox: 0 sent, 0 to retry, 0 failed, 2 cancelled, 0 held\n');
    expect(list(s.run, 'cancelled').map((x) => x.reason).sort()).toEqual(['the booking is cancelled', 'the customer refuses messages']);
    expect(fs.existsSync(got)).toBe(false);
  });

  it('no sender: exit 2 naming the settings; the secret never shows', () => {
    const s = shop(1);
    const r = s.run(['outbox', 'send']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no sender configured: set outbox.webhook');
    const everything = [s.run(['config', 'list']).stdout, s.run(['config', 'get', 'outbox.secret']).stdout, s.run(['audit', '--json']).stdout, s.run(['config', 'set', 'outbox.secret', 'x' + SECRET.slice(0, 8)]).stderr].join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(SECRET.slice(0, 8));
    expect(s.run(['config', 'get', 'outbox.secret']).stdout).toBe('********\n');
  });
});

describe('never twice, never lost', () => {
  const kills = process.env.PITSTOP_LONG_TESTS === '1' ? 300 : 15;

  it(`SIGKILL at random moments (${kills} times): every message ends sent, each key always the same bytes`, async () => {
    const s = shop(24);
    const port = await gateway('flaky', s.log);
    s.ok(['config', 'set', 'outbox.webhook', `http://127.0.0.1:${port}/sms`]);
    s.ok(['config', 'set', 'outbox.rate', '6000']);
    s.ok(['config', 'set', 'outbox.max_attempts', '20']);
    const env = { ...process.env, PITSTOP_DB: s.db, PITSTOP_NOW: '2026-11-23 10:00', TZ: 'America/New_York' };
    let seed = 20261205;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < kills; i++) {
      const child = spawn(process.execPath, [BIN, 'outbox', 'send'], { env, stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 60 + Math.floor(random() * 400)));
      child.kill('SIGKILL');
      await exited;
    }
    // the flaky gateway fails every third request: later minutes retry until all are sent
    for (let minute = 1; minute < 400 && list(s.run).some((m) => m.status !== 'sent'); minute *= 2) {
      const r = cliFor(s.db, `2026-11-23 ${String(10 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`)(['outbox', 'send']);
      expect(r.code, r.stderr).toBe(0);
    }
    const messages = list(s.run);
    expect(messages).toHaveLength(24);
    expect(messages.filter((m) => m.status !== 'sent')).toEqual([]);
    const bodies = new Map<string, Set<string>>();
    for (const g of received(s.log)) bodies.set(g.key, (bodies.get(g.key) ?? new Set()).add(g.body));
    expect(bodies.size).toBe(24);
    for (const [key, set] of bodies) expect(set.size, key).toBe(1);
  }, 600_000);

  it('two sends at once never send one message twice', async () => {
    const s = shop(12);
    const port = await gateway('ok', s.log);
    s.ok(['config', 'set', 'outbox.webhook', `http://127.0.0.1:${port}/sms`]);
    const env = { ...process.env, PITSTOP_DB: s.db, PITSTOP_NOW: '2026-11-23 10:00', TZ: 'America/New_York' };
    const codes = await Promise.all(
      [0, 1].map(() => {
        const c = spawn(process.execPath, [BIN, 'outbox', 'send'], { env, stdio: 'ignore' });
        return new Promise<number | null>((r) => c.once('exit', r));
      }),
    );
    expect(codes).toEqual([0, 0]);
    const keys = received(s.log).map((g) => g.key);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
    expect(list(s.run, 'sent')).toHaveLength(12);
  }, 120_000);
});

describe('rate limit and queueing from every list', () => {
  it('at most outbox.rate messages a minute; the rest go the next minute', () => {
    const s = shop(3);
    s.ok(['config', 'set', 'outbox.command', 'cat > /dev/null']);
    s.ok(['config', 'set', 'outbox.rate', '2']);
    expect(s.run(['outbox', 'send']).stdout).toBe('outbox: 2 sent, 0 to retry, 0 failed, 0 cancelled, 0 held; rate limit (outbox.rate) reached: the rest go next minute\n');
    expect(cliFor(s.db, '2026-11-23 10:00')(['outbox', 'send']).stdout).toContain('0 sent');
    expect(cliFor(s.db, '2026-11-23 10:02')(['outbox', 'send']).stdout).toBe('outbox: 1 sent, 0 to retry, 0 failed, 0 cancelled, 0 held\n');
  });

  it('maintenance-due and declined-work queue one message per row (declined-work from its template); off queues nothing', () => {
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const out = path.join(dir, 'out');
    const run = cliFor(db, '2026-12-04 07:00');
    expect(run(['demo', '--size', 'small']).code).toBe(0);
    // a car with safety work declined a month ago: on today's declined-work list
    const old = cliFor(db, '2026-11-01 09:00');
    const ro = old(['order', 'open', '--plate', JSON.parse(run(['vehicle', 'list', '--json']).stdout)[0].plate, '--mileage', '999999', '--force', '-q', '--no-input']);
    if (ro.code === 0) {
      const n = ro.stdout.trim();
      expect(old(['order', 'labor', n, '更换刹车片', '--hours', '1', '-q']).code).toBe(0);
      expect(old(['order', 'decline', n, '--lines', '1', '--severity', 'safety']).code).toBe(0);
      expect(old(['order', 'cancel', n, '--reason', '客户不修']).code).toBe(0);
    }
    expect(run(['jobs', 'run', 'maintenance-due', '--out', out]).code).toBe(0);
    expect(list(run)).toHaveLength(0);
    for (const job of ['maintenance-due', 'declined-work']) expect(run(['config', 'set', `jobs.${job}.send`, 'on']).code).toBe(0);
    const r = run(['jobs', 'run', 'maintenance-due', '--date', '2026-12-05', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsv(path.join(out, 'maintenance-due-2026-12-05.csv'));
    expect(rows.length).toBeGreaterThan(0);
    const maintenance = list(run).filter((m) => m.job === 'maintenance-due');
    expect(maintenance.map((m) => m.text).sort()).toEqual(rows.map((x) => x.message).sort());
    expect(maintenance.every((m) => String(m.key).startsWith('maintenance-due/2026-12-05/vehicle:'))).toBe(true);
    expect(run(['jobs', 'run', 'declined-work', '--out', out]).code).toBe(0);
    const declined = readCsv(path.join(out, 'declined-work-2026-12-04.csv'));
    const queued = list(run).filter((m) => m.job === 'declined-work');
    expect(queued).toHaveLength(declined.length);
    for (const m of queued) expect(String(m.text)).toMatch(/您好，.+提醒您：您的爱车.+检查时发现的项目（.+）尚未维修/);
    // a masked run queues nothing
    expect(run(['jobs', 'run', 'maintenance-due', '--date', '2026-12-06', '--mask-phone', '--out', out]).code).toBe(0);
    expect(list(run).filter((m) => String(m.key).includes('2026-12-06'))).toEqual([]);
  }, 120_000);
});

