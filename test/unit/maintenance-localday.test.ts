/** The cached local-day conversion the maintenance-due job uses for many instants agrees with localDay. */
import { describe, expect, it } from 'vitest';
import { localDay, localDayCache } from '../../src/domain/time.js';

describe('localDayCache', () => {
  it.each(['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'UTC'])(
    'matches localDay in %s every 29 minutes across DST changes',
    (zone) => {
      const fast = localDayCache(zone);
      // March and November of 2026 hold the DST changes of the northern zones; April and October the southern ones
      for (const [from, to] of [['2026-03-07', '2026-04-08'], ['2026-09-25', '2026-11-03']]) {
        for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += 29 * 60_000) {
          const iso = new Date(t).toISOString();
          if (fast(iso) !== localDay(iso, zone)) expect(`${zone} ${iso} ${fast(iso)}`).toBe(`${zone} ${iso} ${localDay(iso, zone)}`);
        }
      }
      expect(fast('2026-05-21T23:30:00.000Z')).toBe(localDay('2026-05-21T23:30:00.000Z', zone));
    },
  );
});
