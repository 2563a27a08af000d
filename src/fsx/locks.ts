/**
 * Lock files beside the database (SPEC §9 "One scheduler"): `<database>.locks/<name>.lock`, holding
 * who took it (pid, host, since). Taking one is atomic — the content is written to a private temp file
 * first and hard-linked to the lock's name, which fails when the name exists — so a reader never sees a
 * half-written lock. A lock whose process is gone (same host, pid no longer alive) is stale: the next
 * taker removes it and is told whose it was, so it can mark that process's work as abandoned. A killed
 * process cannot keep a lock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { mapFsError } from './atomic.js';

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO instant the lock was taken */
  since: string;
  /** What holds it: `cron`, or the job run's id */
  runId?: number;
}

export type TakeResult =
  | { ok: true; release: () => void; /** a dead holder whose stale lock was removed */ stale: LockHolder | null }
  | { ok: false; holder: LockHolder };

export function lockDir(dbFile: string): string {
  return `${path.resolve(dbFile)}.locks`;
}

export function lockFile(dbFile: string, name: string): string {
  return path.join(lockDir(dbFile), `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.lock`);
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is the holder's process still there? One on another host (a shared folder) is taken as alive. */
export function holderAlive(holder: LockHolder): boolean {
  return holder.host !== os.hostname() || isAlive(holder.pid);
}

export function readLock(file: string): LockHolder | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    return typeof value?.pid === 'number' && typeof value.host === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Take the lock `file` for this process, or say who holds it. */
export function takeLock(file: string, info: { since: Date; runId?: number }): TakeResult {
  const dir = path.dirname(file);
  const mine: LockHolder = { pid: process.pid, host: os.hostname(), since: info.since.toISOString(), ...(info.runId !== undefined ? { runId: info.runId } : {}) };
  let stale: LockHolder | null = null;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < 5; attempt++) {
      const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
      fs.writeFileSync(temp, JSON.stringify(mine), { mode: 0o600, flag: 'wx' });
      try {
        fs.linkSync(temp, file);
        const release = () => {
          const now = readLock(file);
          if (now && now.pid === mine.pid && now.host === mine.host && now.since === mine.since) fs.rmSync(file, { force: true });
        };
        return { ok: true, release, stale };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        fs.rmSync(temp, { force: true });
      }
      const holder = readLock(file);
      if (holder && holderAlive(holder)) return { ok: false, holder };
      // A dead holder's lock (or an unreadable one): move it out of the way under a unique name, so
      // that of two processes seeing it stale only one removes it, then try again.
      const aside = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.stale`;
      try {
        fs.renameSync(file, aside);
        fs.rmSync(aside, { force: true });
        if (holder) stale = holder;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    throw new Error(`could not take the lock ${file}`);
  } catch (err) {
    throw mapFsError(err, file);
  }
}

/** The holder of `name`'s lock when its process is alive, else null (no lock, or a stale one). */
export function liveHolder(dbFile: string, name: string): LockHolder | null {
  const holder = readLock(lockFile(dbFile, name));
  return holder && holderAlive(holder) ? holder : null;
}

export function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} on ${holder.host}, since ${holder.since}`;
}
