/** The inspection block of `order show` and `vehicle show`: readings, colours and remaining life. */
import { table } from './format.js';
import { formatLocal } from '../domain/time.js';
import type { ShownReading } from '../app/inspection.js';

export function lifeText(r: ShownReading): string {
  const l = r.remaining_life;
  if (!l) return '';
  return `${l.km} km (${l.basis === 'own' ? 'from this car\'s wear' : 'typical wear'} ${l.wear_per_1000km}${r.unit ?? ''}/1000km)`;
}

export function renderReadings(title: string, readings: readonly ShownReading[], tz: string, withWhen: boolean): string {
  if (!readings.length) return '';
  return `\n${title} (${readings.length})\n` + table(readings, [
    ...(withWhen ? [{ header: 'inspected', value: (r: ShownReading) => `${formatLocal(r.inspected_at, tz)} ${r.order_number}` }] : []),
    { header: 'item', value: (r) => r.item },
    { header: 'value', value: (r) => (r.value !== null ? `${r.value}${r.unit ?? ''}` : r.passed ? 'pass' : 'fail') },
    { header: 'colour', value: (r) => r.colour },
    { header: 'remaining life', value: (r) => lifeText(r) },
    { header: 'photos', value: (r) => r.photos.map((p) => p.name).join(', ') },
    { header: 'note', value: (r) => r.note },
  ]);
}
