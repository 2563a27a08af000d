/**
 * `backup` and `restore` carry the inspection photos (SPEC §16): they travel in FILE.attachments/
 * beside the backup, are copied only when new, come back on restore checked against their SHA-256,
 * and a damaged or missing photo is named on stderr.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cliFor, tempDir } from '../helpers.js';

/** A real one-pixel PNG whose colour makes each photo distinct. */
function png(red: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, red, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function shopWithPhotos() {
  const dir = tempDir();
  const shop = path.join(dir, 'shop');
  fs.mkdirSync(shop);
  const db = path.join(shop, 'pitstop.db');
  const run = cliFor(db, '2026-11-23 10:00');
  expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
  expect(run(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '50000', '-q']).code).toBe(0);
  const ro = run(['order', 'open', '--plate', '京A12345', '--mileage', '50100', '-q', '--no-input']).stdout.trim();
  const front = png(10);
  const rear = png(20);
  fs.writeFileSync(path.join(dir, 'front.png'), front);
  fs.writeFileSync(path.join(dir, 'rear.png'), rear);
  const r = run(['order', 'inspect', ro, '--set', '前制动片=2.5', '--set', '后制动片=3.5', '--photo', `前制动片=${path.join(dir, 'front.png')}`, '--photo', `后制动片=${path.join(dir, 'rear.png')}`]);
  expect(r.code, r.stderr).toBe(0);
  return { dir, shop, db, run, photos: [sha(front), sha(rear)].sort(), bytes: new Map([[sha(front), front], [sha(rear), rear]]) };
}

describe('backup and restore carry the inspection photos', () => {
  it('copies the photos beside the backup (only new ones the next night) and brings them back', () => {
    const { dir, shop, run, photos, bytes } = shopWithPhotos();
    const file = path.join(dir, 'nightly.db');
    let r = run(['backup', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`; 2 photos in ${file}.attachments, 2 new)`);
    const folder = `${file}.attachments`;
    expect(fs.readdirSync(folder).sort()).toEqual(photos);
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    for (const p of photos) {
      expect(fs.statSync(path.join(folder, p)).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(path.join(folder, p)).equals(bytes.get(p)!)).toBe(true);
    }
    r = run(['backup', file, '--force', '--json']);
    expect(JSON.parse(r.stdout).attachments).toEqual({ folder, referenced: 2, copied: 0, present: 2, missing: [] });

    // the shop loses its photo folder; the restore brings every photo back, byte for byte
    fs.rmSync(path.join(shop, 'attachments'), { recursive: true });
    r = run(['restore', file, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`; 2 photos restored from ${folder})`);
    for (const p of photos) expect(fs.readFileSync(path.join(shop, 'attachments', p)).equals(bytes.get(p)!)).toBe(true);
    expect(fs.readdirSync(path.join(shop, 'attachments')).sort()).toEqual(photos);
  });

  it('names a damaged photo in the backup and a backup without its photo folder, and restores the database', () => {
    const { dir, shop, run, photos } = shopWithPhotos();
    const file = path.join(dir, 'nightly.db');
    expect(run(['backup', file]).code).toBe(0);
    fs.writeFileSync(path.join(`${file}.attachments`, photos[0]!), 'not the photo');
    fs.rmSync(path.join(shop, 'attachments'), { recursive: true });
    let r = run(['restore', file, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`pitstop: photo ${photos[0]} in ${file}.attachments is damaged (its content does not match its name); it was not restored`);
    expect(r.stderr).toContain(`pitstop: 1 photo the restored database refers to is not in ${path.join(shop, 'attachments')}: ${photos[0]}`);
    expect(fs.readdirSync(path.join(shop, 'attachments'))).toEqual([photos[1]]);

    fs.rmSync(`${file}.attachments`, { recursive: true });
    fs.rmSync(path.join(shop, 'attachments'), { recursive: true });
    r = run(['restore', file, '--force']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('2 photos the restored database refers to are not in');
    expect(r.stderr).toContain('(the backup has no nightly.db.attachments folder beside it)');
  });

  it('a backup whose shop lost a photo says which one is not in the backup', () => {
    const { dir, shop, run, photos } = shopWithPhotos();
    fs.rmSync(path.join(shop, 'attachments', photos[1]!));
    const r = run(['backup', path.join(dir, 'b.db')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`pitstop: 1 photo the database refers to is missing or damaged in the data folder's attachments and is not in the backup: ${photos[1]}`);
  });

  it('a shop without photos gets no photo folder', () => {
    const dir = tempDir();
    const run = cliFor(path.join(dir, 'pitstop.db'));
    expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
    const r = run(['backup', path.join(dir, 'b.db')]);
    expect(r.stdout).not.toContain('photo');
    expect(fs.existsSync(path.join(dir, 'b.db.attachments'))).toBe(false);
  });
});
