/**
 * The one way pitstop puts a file in place (job CSVs, `export --out`, report files, backups, and the
 * documents and workbooks to come): written under a random hidden temp name in the target folder,
 * created exclusively (O_EXCL, O_NOFOLLOW: a link planted at the name is never followed), mode 0600,
 * every byte written (a write may return a short count without an error), synced, renamed over the
 * final name, the folder synced. A failure removes the temp file and leaves nothing under the final
 * name; a file-system failure is exit 5. Only a regular file (or nothing) may be replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Exit, PitstopError, invalid } from '../errors.js';

const FS_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'a disk read or write failed',
  EFBIG: 'the file is too large for the file system',
};

/**
 * Turn a file-system error (writing a CSV, a backup, a temp file) into exit 5 with a clear message,
 * else return it unchanged. `file` names the file when the error does not carry its path.
 */
export function mapFsError(err: unknown, file?: string): unknown {
  if (err instanceof PitstopError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const code = e?.code;
  if (!code || !FS_REASONS[code] || typeof e?.syscall !== 'string') return err;
  const where = e.path ?? file;
  return new PitstopError(Exit.storage, `storage unavailable: ${FS_REASONS[code]}${where ? ` (${where})` : ''}; the file was not written`);
}

/** Hidden temp name next to the target: `.<name>.<pid>.<random>.tmp` (the pid lets a later run clean up after a killed one). */
export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temp files pitstop writes: `.<name>.<pid>.<random>.tmp` (this module, backups, lock files) and
 * `<database>.restore-<pid>.tmp`, with SQLite's `-wal`/`-shm`/`-journal` beside a database copy.
 */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9A-Za-z]+\.tmp(?:-wal|-shm|-journal)?$|\.restore-(\d+)(?:\.[0-9a-f]{12})?\.tmp(?:-wal|-shm|-journal)?$/;

/** Temp files in `dir` whose writing process is gone (a SIGKILL cannot clean up after itself). */
export function deadTemps(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1] ?? m[2]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) found.push(path.join(dir, name));
  }
  return found;
}

/** Remove the temp files that killed processes left in `file`'s folder (any target, not only `file`'s). */
export function removeStaleTemps(file: string): void {
  for (const temp of deadTemps(path.dirname(file))) fs.rmSync(temp, { force: true });
}

/**
 * Refuse (exit 2 naming `field` and `flag`) a target that is not a regular file: a folder, a device, a FIFO, a
 * socket, or a symlink to one. A missing file (or a dangling link, which the rename replaces) is fine.
 */
export function assertReplaceable(file: string, field: string, shown: string = file, flag: string = field): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return;
  }
  if (st.isDirectory()) throw invalid(field, shown, 'is a folder; give a file name');
  if (!st.isFile()) throw invalid(field, shown, `is not a regular file (a device, FIFO or socket); ${flag} replaces only regular files`);
}

const CREATE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);

/** Create a fresh temp file for `file` exclusively (never through a link), mode 0600. */
export async function createTemp(file: string): Promise<{ temp: string; handle: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const temp = tempNameFor(file);
    try {
      return { temp, handle: await fs.promises.open(temp, CREATE, 0o600) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 5) continue;
      throw mapFsError(err, temp);
    }
  }
}

/** Writes `length` bytes of `buf` from `offset`; returns how many it wrote (may be fewer). */
export type WriteChunk = (handle: FileHandle, buf: Uint8Array, offset: number, length: number) => Promise<number>;

const writeChunkDefault: WriteChunk = async (handle, buf, offset, length) => (await handle.write(buf, offset, length)).bytesWritten;

/** Write every byte of `buf`, looping over short writes; a write that makes no progress is a full disk. */
export async function writeFully(handle: FileHandle, buf: Uint8Array, writeChunk: WriteChunk = writeChunkDefault): Promise<void> {
  let offset = 0;
  let stalled = 0;
  while (offset < buf.length) {
    const n = await writeChunk(handle, buf, offset, buf.length - offset);
    if (n > 0) {
      offset += n;
      stalled = 0;
    } else if (++stalled >= 3) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    }
  }
}

/** Sync a folder after a rename in it (where the file system allows). */
export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems cannot fsync a folder; the rename is still atomic
  }
}

/** Sync a finished temp file (mode 0600) and rename it over `file`. */
export async function commitTemp(temp: string, file: string): Promise<void> {
  const handle = await fs.promises.open(temp, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, file);
  fsyncDir(path.dirname(file));
}

/** What a writer callback writes to. */
export interface Sink {
  write(chunk: string | Uint8Array): Promise<void>;
}

export interface AtomicOptions {
  /** Replaces the low-level write (tests inject short counts and failures). */
  writeChunk?: WriteChunk;
}

export type Body<T> = ((sink: Sink) => Promise<T>) | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Write `file` atomically from a writer callback (its result is returned) or a stream of chunks.
 * The caller checks the target with assertReplaceable first where a user named it.
 */
export async function writeFileAtomic<T = void>(file: string, body: Body<T>, options: AtomicOptions = {}): Promise<T> {
  removeStaleTemps(file);
  const { temp, handle } = await createTemp(file);
  let closed = false;
  try {
    const sink: Sink = { write: (chunk) => writeFully(handle, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk, options.writeChunk) };
    let result: T;
    if (typeof body === 'function') result = await body(sink);
    else {
      for await (const chunk of body as AsyncIterable<string | Uint8Array>) await sink.write(chunk);
      result = undefined as T;
    }
    await handle.chmod(0o600);
    await handle.sync();
    await handle.close();
    closed = true;
    await fs.promises.rename(temp, file);
    fsyncDir(path.dirname(file));
    return result;
  } catch (err) {
    if (!closed) await handle.close().catch(() => {});
    await fs.promises.rm(temp, { force: true }).catch(() => {});
    throw mapFsError(err, file);
  }
}
