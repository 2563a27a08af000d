/**
 * UTC offsets of a time zone as a function (minutes east of UTC at an epoch-ms instant). The domain
 * never reads the zone files itself: the app layer loads them (src/tzdb.ts) and hands the source in
 * (`useZoneSource`, once, where the context is built); until then, and for a zone the files do not
 * have, Intl answers. Pure apart from that one injected source.
 */

/** Minutes east of UTC at an instant given as epoch milliseconds. */
export type OffsetFn = (ms: number) => number;
/** A zone name → its offsets (throws Intl's RangeError for a zone nobody knows). */
export type ZoneSource = (zone: string) => OffsetFn;

const DAY_MS = 86_400_000;

/** `GMT+08:00`, `GMT-03:30`, `GMT` → minutes east of UTC (offsets with seconds rounded to the minute). */
function gmtMinutes(text: string): number {
  const m = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text);
  if (!m) throw new RangeError(`unexpected time zone offset "${text}"`);
  return m[1] ? Math.round(((m[1] === '-' ? -1 : 1) * (+m[2]! * 3600 + +m[3]! * 60 + +(m[4] ?? 0))) / 60) : 0;
}

/**
 * Offsets from Intl. A call costs microseconds and a job may ask for every row, so the offset is kept per
 * UTC day; a day whose offset changes within it is looked up exactly every time.
 */
export function intlOffsets(zone: string): OffsetFn {
  // throws Intl's RangeError for a zone it does not know
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  const exact = (ms: number) => gmtMinutes(format.format(ms));
  const days = new Map<number, number | null>();
  return (ms) => {
    const day = Math.floor(ms / DAY_MS);
    let offset = days.get(day);
    if (offset === undefined) {
      const first = exact(day * DAY_MS);
      offset = first === exact((day + 1) * DAY_MS - 60_000) ? first : null;
      days.set(day, offset);
    }
    return offset ?? exact(ms);
  };
}

const intlZones = new Map<string, OffsetFn>();
const intlSource: ZoneSource = (zone) => {
  let fn = intlZones.get(zone);
  if (!fn) intlZones.set(zone, (fn = intlOffsets(zone)));
  return fn;
};

let source: ZoneSource = intlSource;

/** Where zone offsets come from (the app layer passes the zone files' reader). */
export function useZoneSource(next: ZoneSource): void {
  source = next;
}

/** The offsets of `zone`. */
export function offsetFn(zone: string): OffsetFn {
  return source(zone);
}
