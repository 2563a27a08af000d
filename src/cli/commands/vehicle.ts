import type { Command } from 'commander';
import { out, printCreated, withCtx, type GlobalOptions } from '../kit.js';
import { fields, json, table } from '../format.js';
import { positiveInt } from '../options.js';
import type { VehicleInput } from '../../app/vehicles.js';
import { count } from '../../domain/words.js';

function vehicleFlags(cmd: Command): Command {
  return cmd
    .option('--vin <vin>', '17-character VIN (check digit verified)')
    .option('--make <make>', 'make, e.g. 大众')
    .option('--model <model>', 'model, e.g. 帕萨特')
    .option('--color <color>', 'colour')
    .option('--year <year>', 'model year')
    .option('--purchased <date>', 'purchase date YYYY-MM-DD')
    .option('--interval-km <n>', 'this vehicle\'s service interval in km (default: maintenance.interval_km)')
    .option('--interval-months <n>', 'this vehicle\'s service interval in months (default: maintenance.interval_months)')
    .option('--last-service <date>', 'last service day from paper records or another system, YYYY-MM-DD')
    .option('--last-service-km <km>', 'odometer at that last service')
    .option('--force', 'accept a VIN check-digit mismatch or an odd reading (audited)');
}

function inputOf(opts: GlobalOptions): VehicleInput {
  const pick = (k: string) => opts[k] as string | undefined;
  return {
    customer: pick('customer'), plate: pick('plate'), vin: pick('vin'), make: pick('make'), model: pick('model'),
    color: pick('color'), year: pick('year'), purchased: pick('purchased'), mileage: pick('mileage'),
    intervalKm: pick('intervalKm'), intervalMonths: pick('intervalMonths'), lastService: pick('lastService'),
    lastServiceKm: pick('lastServiceKm'), force: !!opts.force,
  };
}

export function registerVehicle(program: Command): void {
  const vehicle = program.command('vehicle').description('the vehicle archive');

  vehicleFlags(
    vehicle
      .command('add')
      .description('add a vehicle to a customer')
      .option('--customer <id|phone>', 'the owner')
      .option('--plate <plate>', 'plate, e.g. 京A12345 (new-energy: 京AD12345)')
      .option('--mileage <km>', 'odometer now'),
  )
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the plate')
    .action(
      withCtx(async (ctx, opts) => {
        const { addVehicle } = await import('../../app/vehicles.js');
        const v = await addVehicle(ctx, inputOf(opts));
        printCreated(opts, v.plate, v, `added vehicle ${v.plate} (id ${v.id})`);
      }),
    );

  vehicle
    .command('list')
    .description('vehicles, optionally of one customer or matching a plate, VIN, make or model')
    .option('--customer <id|phone>', 'only this customer\'s')
    .option('--search <text>', 'part of a plate, VIN, make or model')
    .option('--limit <n>', 'at most this many', positiveInt(100000), 50)
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { listVehicles } = await import('../../app/vehicles.js');
        const { findCustomer } = await import('../../app/customers.js');
        const customerId = opts.customer ? (await findCustomer(ctx, opts.customer as string)).id : undefined;
        const rows = await listVehicles(ctx, { customerId, text: opts.search as string | undefined, limit: opts.limit as number });
        if (opts.json) return out(json(rows));
        out(table(rows, [
          { header: 'plate', value: (r) => r.plate },
          { header: 'make', value: (r) => r.make },
          { header: 'model', value: (r) => r.model },
          { header: 'year', value: (r) => r.year },
          { header: 'owner', value: (r) => r.customer_name },
          { header: 'phone', value: (r) => r.phone },
          { header: 'active', value: (r) => (r.active ? 'yes' : 'no') },
        ]));
      }),
    );

  vehicle
    .command('show')
    .description('one vehicle: owner, service history, findings not yet fixed, next service due')
    .argument('<plate>')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, plate) => {
        const { showVehicle } = await import('../../app/vehicles.js');
        const { formatYuan } = await import('../../domain/money.js');
        const { formatLocal } = await import('../../domain/time.js');
        const p = await showVehicle(ctx, plate);
        if (opts.json) return out(json(p));
        const v = p.vehicle;
        const owner = p.owner as { id: number; name: string; phone: string } | undefined;
        const due = p.next_service;
        out(fields([
          ['plate', v.plate],
          ['vin', v.vin],
          ['vehicle', [v.make, v.model, v.color, v.year].filter(Boolean).join(' ')],
          ['owner', owner ? `${owner.id} ${owner.name} ${owner.phone}` : ''],
          ['purchased', v.purchased_on],
          ['active', v.active ? 'yes' : 'no (deactivated)'],
          ['interval', `${v.interval_km ?? ctx.settings.get('maintenance.interval_km')} km / ${v.interval_months ?? ctx.settings.get('maintenance.interval_months')} months`],
          ['last service', due ? `${due.lastService.on} at ${due.lastService.km} km (${due.lastService.source.replace('_', ' ')})` : ''],
          ['next service due', due ? `${due.dueOn} (by ${due.dueBy}, ${due.daysUntilDue >= 0 ? `in ${count(due.daysUntilDue, 'day')}` : `${count(-due.daysUntilDue, 'day')} overdue`})` : ''],
          ['estimated km now', due ? `${due.estimatedKm} (${due.dailyKm.toFixed(1)} km/day)` : ''],
        ]));
        out(`\nservice history (${p.history.length})\n`);
        if (p.history.length) out(table(p.history, [
          { header: 'order', value: (r) => r.number as string },
          { header: 'opened', value: (r) => formatLocal(r.opened_at as string, ctx.tz) },
          { header: 'km', value: (r) => r.mileage_in as number, right: true },
          { header: 'category', value: (r) => r.category as string },
          { header: 'status', value: (r) => r.status as string },
          { header: 'total', value: (r) => formatYuan(Number(r.total_cents ?? 0)), right: true },
          { header: 'complaint', value: (r) => r.complaint as string },
        ]));
        out(`\nfindings not yet fixed (${p.open_findings.length})\n`);
        if (p.open_findings.length) out(table(p.open_findings, [
          { header: 'found on', value: (r) => r.order_number as string },
          { header: 'description', value: (r) => r.description as string },
          { header: 'severity', value: (r) => (r.severity as string | null) ?? '' },
        ]));
        const { renderReadings } = await import('../inspection-format.js');
        out(renderReadings('latest inspection readings', p.inspection, ctx.tz, true));
      }),
    );

  vehicleFlags(
    vehicle
      .command('edit')
      .description('change a vehicle (only the flags given)')
      .argument('<plate>')
      .option('--customer <id|phone>', 'new owner')
      .option('--plate <plate>', 'new plate (re-registered)'),
  )
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, plate) => {
        const { editVehicle } = await import('../../app/vehicles.js');
        const v = await editVehicle(ctx, plate, inputOf(opts));
        if (opts.json) return out(json(v));
        out(`updated vehicle ${v.plate}\n`);
      }),
    );

  vehicle
    .command('deactivate')
    .description('sold or scrapped: kept in history, on no list')
    .argument('<plate>')
    .action(
      withCtx<[string]>(async (ctx, _opts, plate) => {
        const { deactivateVehicle } = await import('../../app/vehicles.js');
        const v = await deactivateVehicle(ctx, plate);
        out(`deactivated vehicle ${v.plate}\n`);
      }),
    );
}
