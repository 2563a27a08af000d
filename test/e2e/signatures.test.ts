/**
 * `order sign` and `sign.required` through the binary (SPEC §11, §16), and the warning for a safety
 * finding going out unfixed and unsigned (SPEC §12).
 */
import { describe, expect, it } from 'vitest';
import { cliFor, tempDbPath } from '../helpers.js';

function shop(now = '2026-11-23 10:00') {
  const db = tempDbPath();
  const at = (t: string) => cliFor(db, t);
  const run = at(now);
  expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
  expect(run(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '50000', '-q']).code).toBe(0);
  const ro = run(['order', 'open', '--plate', '京A12345', '--mileage', '50100', '-q', '--no-input']).stdout.trim();
  expect(run(['order', 'labor', ro, '更换刹车片', '--hours', '1', '-q']).code).toBe(0);
  expect(run(['order', 'labor', ro, '更换雨刮', '--hours', '0.5', '-q']).code).toBe(0);
  return { db, at, run, ro };
}

describe('order sign', () => {
  it('records who signed what and when; order show and --json list it; --at back-fills', () => {
    const { at, ro } = shop('2026-11-23 09:00');
    const run = at('2026-11-23 10:00');
    let r = run(['order', 'sign', ro, '--as', 'customer', '--name', '张三', '--at', '2026-11-23 09:40']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${ro}: estimate signed by the customer 张三 at 2026-11-23 09:40\n`);
    r = run(['order', 'sign', ro, '--as', 'advisor', '--what', 'declined', '--json']);
    expect(JSON.parse(r.stdout).signature).toMatchObject({ role: 'advisor', what: 'declined', name: null });
    const shown = JSON.parse(run(['order', 'show', ro, '--json']).stdout);
    expect(shown.signatures.map((s: { role: string; what: string }) => [s.role, s.what])).toEqual([['customer', 'estimate'], ['advisor', 'declined']]);
    const text = run(['order', 'show', ro]).stdout;
    expect(text).toContain('signatures (2)\n');
    expect(text).toMatch(/\n2026-11-23 09:40 +estimate +customer +张三\n2026-11-23 10:00 +declined +advisor *\n/);
  });

  it('bad input: exit 2 naming the flag, 3 for an unknown order, 4 without --what while work is in progress', () => {
    const { run, ro } = shop();
    let r = run(['order', 'sign', ro]);
    expect([r.code, r.stderr]).toEqual([2, 'pitstop: missing required --as customer|advisor|technician|inspector\n']);
    r = run(['order', 'sign', ro, '--as', 'owner']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --as "owner": one of customer, advisor, technician, inspector');
    r = run(['order', 'sign', ro, '--as', 'customer', '--what', 'everything']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --what "everything"');
    r = run(['order', 'sign', ro, '--as', 'customer', '--at', '2026-11-24 09:00']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must not be after now');
    expect(run(['order', 'sign', 'RO-20261123-0099', '--as', 'customer']).code).toBe(3);
    expect(run(['order', 'approve', ro]).code).toBe(0);
    expect(run(['order', 'start', ro]).code).toBe(0);
    r = run(['order', 'sign', ro, '--as', 'customer']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('is in_progress: say what is signed with --what');
    expect(JSON.parse(run(['order', 'show', ro, '--json']).stdout).signatures).toEqual([]);
  });
});

describe('sign.required', () => {
  it('order start needs the estimate signed after the last line change; deliver needs declined and delivery', () => {
    const { at, ro } = shop();
    const run = at('2026-11-23 10:00');
    expect(run(['config', 'set', 'sign.required', 'estimate,declined,delivery']).code).toBe(0);
    expect(run(['order', 'approve', ro, '--lines', '1']).code).toBe(0);
    expect(run(['order', 'decline', ro, '--lines', '2']).code).toBe(0);
    let r = run(['order', 'start', ro]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(`pitstop: order ${ro} needs the customer's signature (sign.required): estimate (the customer has not signed the estimate); record it with: pitstop order sign ${ro} --as customer --what estimate\n`);
    expect(at('2026-11-23 10:05')(['order', 'sign', ro, '--as', 'customer']).code).toBe(0);
    // a line edited after the signature: the signature no longer covers the estimate
    expect(at('2026-11-23 10:10')(['order', 'line', 'edit', ro, '1', '--hours', '1.5']).code).toBe(0);
    const edited = JSON.parse(run(['order', 'show', ro, '--json']).stdout).lines[0].status;
    if (edited === 'proposed') expect(at('2026-11-23 10:12')(['order', 'approve', ro, '--lines', '1']).code).toBe(0);
    r = at('2026-11-23 10:15')(['order', 'start', ro]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('estimate (the estimate changed after it was signed)');
    expect(at('2026-11-23 10:20')(['order', 'sign', ro, '--as', 'customer']).code).toBe(0);
    expect(at('2026-11-23 10:25')(['order', 'start', ro]).code).toBe(0);
    expect(at('2026-11-23 11:00')(['order', 'qc', ro, '--pass']).code).toBe(0);
    const later = at('2026-11-23 11:30');
    r = later(['order', 'deliver', ro]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('declined (work was declined); delivery (the customer has not signed for the car)');
    expect(later(['order', 'sign', ro, '--as', 'customer']).stdout).toContain('delivery signed by the customer');
    r = later(['order', 'deliver', ro]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('needs the customer\'s signature (sign.required): declined (work was declined); record it with');
    expect(JSON.parse(later(['order', 'show', ro, '--json']).stdout).order.status).toBe('ready');
    expect(later(['order', 'sign', ro, '--as', 'customer', '--what', 'declined']).code).toBe(0);
    r = later(['order', 'deliver', ro]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('a red inspection item going out unfixed: a warning on stderr, refused with declined in sign.required', () => {
    const { run, ro } = shop();
    expect(run(['order', 'approve', ro]).code).toBe(0);
    expect(run(['order', 'inspect', ro, '--set', '左前轮胎花纹=1.0']).code).toBe(0);
    expect(run(['order', 'start', ro]).code).toBe(0);
    expect(run(['order', 'qc', ro, '--pass']).code).toBe(0);
    expect(run(['config', 'set', 'sign.required', 'declined']).code).toBe(0);
    let r = run(['order', 'deliver', ro]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/declined \(safety findings F\d+ are not fixed\)/);
    expect(run(['config', 'set', 'sign.required', '']).code).toBe(0);
    r = run(['order', 'deliver', ro]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^pitstop: warning: safety findings F\d+ of this car are neither fixed nor signed as declined by the customer \(order sign --as customer --what declined\)\n$/m);
  });

  it('no warning once the customer signed the declined work', () => {
    const { run, ro } = shop();
    expect(run(['order', 'approve', ro]).code).toBe(0);
    expect(run(['order', 'inspect', ro, '--set', '左前轮胎花纹=1.0']).code).toBe(0);
    expect(run(['order', 'start', ro]).code).toBe(0);
    expect(run(['order', 'qc', ro, '--pass']).code).toBe(0);
    expect(run(['order', 'sign', ro, '--as', 'customer', '--what', 'declined']).code).toBe(0);
    const r = run(['order', 'deliver', ro]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('safety');
  });
});
