/**
 * The one place pitstop resolves "now" and loads the shop's zone. `--now` / PITSTOP_NOW (shop-local
 * "YYYY-MM-DD HH:mm") replaces the real clock; a running clock starts there and advances with the real
 * one. The zone's offsets come from the system's zone files (src/tzdb.ts), loaded here for the domain,
 * which never reads a file itself (src/domain/zone.ts).
 */
import { offsetFn as zoneFiles } from '../tzdb.js';
import { offsetFn, useZoneSource, type OffsetFn } from '../domain/zone.js';
import { parseLocalDateTime } from '../domain/time.js';

useZoneSource(zoneFiles);

/** The real clock. */
export const systemClock = (): Date => new Date();

/** The offsets of the shop's zone (what Ctx.zone carries). */
export function zoneOf(tz: string): OffsetFn {
  return offsetFn(tz);
}

/**
 * "Now": the flag's text, else PITSTOP_NOW's, read shop-local in `tz`; else the clock. `flag` names
 * where the text came from in an error.
 */
export function resolveNow(flagText: string | undefined, envText: string | undefined, tz: string, clock: () => Date = systemClock): Date {
  const text = flagText ?? envText;
  if (!text) return clock();
  return parseLocalDateTime(flagText !== undefined ? '--now' : 'PITSTOP_NOW', text, tz);
}

/** A clock that starts at `start` and runs with the real one (cron and job durations under --now). */
export function runningClock(start: Date, clock: () => Date = systemClock): () => Date {
  const t0 = clock().getTime();
  return () => new Date(start.getTime() + (clock().getTime() - t0));
}
