/**
 * The photo store (`<data dir>/attachments/<sha256>`, SPEC §12) copied between folders by `backup`
 * and `restore` (§16: attachments are included in both).
 *
 * The photos travel in a folder beside the backup file, `FILE.attachments/`, not inside the SQLite
 * copy: a shop with years of photos would otherwise get a multi-gigabyte database file, and a nightly
 * backup copies only the photos the folder does not yet hold (names are content hashes, so a file
 * that is there is the same photo). Each copy goes to a temporary name, is checked against its name's
 * SHA-256 while it is written, synced, then renamed: a killed backup never leaves half a photo under a
 * photo's name.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from './atomic.js';

const PHOTO_NAME = /^[0-9a-f]{64}$/;

export interface AttachmentCopy {
  /** photos copied now */
  copied: number;
  /** photos the target already held */
  present: number;
  /** photos whose bytes do not match their name (not copied) */
  damaged: string[];
}

/** The folder of photos that belongs to a backup file. */
export function backupAttachmentsDir(backupFile: string): string {
  return `${backupFile}.attachments`;
}

/** The photo names (SHA-256) in a folder; none when it does not exist. */
export function photoNames(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter((n) => PHOTO_NAME.test(n)).sort();
}

function sha256Of(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Copy every photo of `from` that `to` does not hold. A photo whose content does not hash to its name
 * is not copied and is reported. Leftover temporaries of a killed copy are removed first.
 */
export function copyPhotos(from: string, to: string): AttachmentCopy {
  const names = photoNames(from);
  const result: AttachmentCopy = { copied: 0, present: 0, damaged: [] };
  if (!names.length) return result;
  fs.mkdirSync(to, { recursive: true, mode: 0o700 });
  for (const n of fs.readdirSync(to)) if (n.startsWith('.') && n.endsWith('.part')) fs.rmSync(path.join(to, n), { force: true });
  for (const name of names) {
    const target = path.join(to, name);
    if (fs.existsSync(target) && fs.statSync(target).size === fs.statSync(path.join(from, name)).size) {
      result.present++;
      continue;
    }
    const bytes = fs.readFileSync(path.join(from, name));
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== name) {
      result.damaged.push(name);
      continue;
    }
    const temp = path.join(to, `.${name}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.part`);
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(temp, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    fs.renameSync(temp, target);
    result.copied++;
  }
  fsyncDir(to);
  return result;
}

/** The wanted photos that are missing from `dir` or do not match their name there. */
export function missingPhotos(dir: string, wanted: readonly string[], options: { verify?: boolean } = {}): string[] {
  const bad: string[] = [];
  for (const name of wanted) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) bad.push(name);
    else if (options.verify && sha256Of(file) !== name) bad.push(name);
  }
  return bad;
}
