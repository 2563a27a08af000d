import type { Command } from 'commander';
import { canPrompt, note, out, printCreated, withCtx, type GlobalOptions, json as jsonOut } from '../kit.js';
import type { Ctx } from '../../app/context.js';
import type { BookingInput, BookingResult } from '../../app/bookings.js';
import type { BookingRow } from '../../db/bookings.js';
import { addOrderOpenOptions, openInputOf, printOpenedOrder } from './order.js';
import { registerBookingDeposits } from './booking-deposits.js';

function inputOf(opts: GlobalOptions): BookingInput {
  const pick = (k: string) => (opts[k] === undefined || opts[k] === null ? undefined : String(opts[k]));
  return {
    plate: pick('plate'), at: pick('at'), minutes: pick('minutes'), service: pick('service'), complaint: pick('complaint'),
    advisor: pick('advisor'), source: pick('source'), estimate: pick('estimate'), partsValue: pick('partsValue'),
    deposit: pick('deposit'), force: !!opts.force,
  };
}

const money = (cents: number | null | undefined) => (cents === null || cents === undefined ? '' : (cents / 100).toFixed(2));

async function describe(ctx: Ctx, b: BookingRow): Promise<string> {
  const { formatLocal } = await import('../../domain/time.js');
  return `booking ${b.id} ${b.plate} ${formatLocal(b.scheduled_at, ctx.tz)} (${b.minutes} min) ${b.status}`;
}

async function printResult(ctx: Ctx, opts: GlobalOptions, verb: string, r: BookingResult): Promise<void> {
  if (r.forced.length) note(`note: accepted with --force: ${r.forced.join('; ')}`);
  printCreated(opts, r.booking.id, r.booking, `${verb} ${await describe(ctx, r.booking)}`);
}

/**
 * At the desk: find the vehicle by plate (or the customer by phone), offer to register what is new,
 * show the day's free slots and let the advisor pick one. Everything is written in one transaction.
 */
async function addInteractively(ctx: Ctx, input: BookingInput): Promise<BookingResult> {
  const { askText, askChoice, askConfirm, checkWith } = await import('../prompt.js');
  const { normalizePlate, normalizePhone, cleanName } = await import('../../domain/identity.js');
  const { addDays, formatClock, localDay, localMinutes, parseDay } = await import('../../domain/time.js');
  const { parseMinutes } = await import('../../domain/booking.js');
  const { vehicleByPlate, vehiclesOfCustomer } = await import('../../db/vehicles.js');
  const { customerByPhone, customerById } = await import('../../db/customers.js');
  const { staffList, hasRole } = await import('../../app/staff.js');
  const bookings = await import('../../app/bookings.js');
  const { table } = await import('../format.js');
  const { usage, notFound, conflict } = await import('../../errors.js');

  const filled = { ...input };
  let owner: { existing: string } | { create: { name: string; phone: string } } | null = null;
  let vehicle: { plate: string; make?: string; model?: string } | null = null;

  const askNewVehicle = async (plate?: string) => {
    const p = plate ?? normalizePlate(await askText({ message: 'Plate 车牌号', required: true, check: checkWith(normalizePlate) }));
    const make = await askText({ message: 'Make 品牌 (optional)' });
    const model = await askText({ message: 'Model 车型 (optional)' });
    vehicle = { plate: p, make: make || undefined, model: model || undefined };
  };
  const askOwnerByPhone = async (phoneText?: string) => {
    const phone = normalizePhone(phoneText ?? (await askText({ message: 'Owner phone 手机', required: true, check: checkWith((v) => normalizePhone(v, 'fleet')) })), 'fleet');
    const known = await customerByPhone(ctx.db, phone);
    if (known) {
      note(`customer ${known.id} ${known.name} ${known.phone}`);
      owner = { existing: String(known.id) };
      return known;
    }
    if (!(await askConfirm(`No customer with phone ${phone}. Register a new customer?`, true))) throw usage('missing required --plate');
    const name = await askText({ message: 'Name 姓名', required: true, check: checkWith((v) => cleanName('name', v)) });
    owner = { create: { name, phone } };
    return null;
  };

  {
    // a --plate given at the terminal is looked up too, so a new car can be registered on the spot
    const ref = filled.plate ?? await askText({
      message: 'Plate 车牌号 or customer phone 手机',
      required: true,
      check: (v) => {
        try {
          if (/^[\d\s+\-()]+$/.test(v.normalize('NFKC').trim())) normalizePhone(v, 'fleet');
          else normalizePlate(v);
          return null;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    filled.plate = undefined;
    if (/^[\d\s+\-()]+$/.test(ref.normalize('NFKC').trim())) {
      const known = await askOwnerByPhone(ref);
      const cars = known ? (await vehiclesOfCustomer(ctx.db, known.id)).filter((v) => v.active) : [];
      const NEW = '\u0000new';
      const pick = cars.length
        ? await askChoice('Vehicle 车辆', [...cars.map((v) => ({ value: v.plate, name: [v.plate, v.make, v.model].filter(Boolean).join(' ') })), { value: NEW, name: 'a new vehicle 新车辆' }])
        : NEW;
      if (pick === NEW) await askNewVehicle();
      else filled.plate = pick;
    } else {
      const plate = normalizePlate(ref);
      const v = await vehicleByPlate(ctx.db, plate);
      if (v) {
        const c = await customerById(ctx.db, v.customer_id);
        note(`${plate} ${[v.make, v.model].filter(Boolean).join(' ')} — customer ${c?.id} ${c?.name ?? ''} ${c?.phone ?? ''}${v.active ? '' : ' (deactivated)'}`);
        if (!v.active) throw conflict(`vehicle ${plate} is deactivated (sold or scrapped); it cannot be booked`);
        filled.plate = plate;
      } else {
        if (!(await askConfirm(`${plate} is not in the archive. Register the vehicle now?`, true))) throw notFound('vehicle', plate);
        await askOwnerByPhone();
        await askNewVehicle(plate);
      }
    }
  }

  if (!filled.at) {
    const minutes = filled.minutes !== undefined ? parseMinutes(filled.minutes) : ctx.settings.int('booking.minutes');
    const today = localDay(ctx.now, ctx.tz);
    let day = addDays(today, 1);
    for (;;) {
      day = parseDay('day', await askText({
        message: 'Day 日期 (YYYY-MM-DD)',
        default: day,
        check: checkWith((v) => {
          const d = parseDay('day', v);
          if (d < today) throw new Error(`${d} is in the past`);
        }),
      }));
      const slots = await bookings.bookingSlots(ctx, day);
      note(`free bays on ${day} (shop.bays ${slots.bays}, open ${slots.open}–${slots.close}):`);
      note(table(slots.slots, [
        { header: 'time', value: (s) => s.time },
        { header: 'free', value: (s) => s.free, right: true },
      ]).trimEnd());
      const starts = await bookings.freeStartsOn(ctx, day, minutes);
      if (!starts.length) {
        note(`no start on ${day} has a free bay for ${minutes} min; choose another day`);
        day = addDays(day, 1);
        continue;
      }
      const time = await askChoice(`Start time 预约时间 (${minutes} min)`, starts.map((s) => ({ value: formatClock(localMinutes(s, ctx.tz)) })));
      filled.at = `${day} ${time}`;
      break;
    }
  }
  if (filled.service === undefined) filled.service = (await askText({ message: 'Service 服务项目 (optional)' })) || undefined;
  if (filled.complaint === undefined) filled.complaint = (await askText({ message: 'Complaint 故障描述 (optional)' })) || undefined;
  if (filled.advisor === undefined) {
    const advisors = (await staffList(ctx)).filter((s) => s.active && hasRole(s, 'advisor'));
    if (advisors.length) {
      const NONE = '\u0000none';
      const a = await askChoice('Advisor 服务顾问', [...advisors.map((s) => ({ value: s.name })), { value: NONE, name: '(none)' }]);
      if (a !== NONE) filled.advisor = a;
    }
  }
  return bookings.addBookingWithNewRecords(ctx, owner, vehicle, filled);
}

export function registerBooking(program: Command): void {
  const booking = program.command('booking').description('bookings (预约): appointments that take a bay');
  registerBookingDeposits(booking);

  booking
    .command('add')
    .description('book a vehicle in (asks for what is missing at a terminal)')
    .option('--plate <plate>', 'the vehicle; its owner is the customer')
    .option('--at <time>', 'start "YYYY-MM-DD HH:mm", within opening hours')
    .option('--minutes <n>', 'length in minutes (default booking.minutes)')
    .option('--service <text>', 'what is booked (e.g. 常规保养)')
    .option('--complaint <text>', 'the problem the customer describes')
    .option('--advisor <name>', 'the service advisor')
    .option('--source <source>', 'phone, walk_in, online, reminder or shop (default phone)')
    .option('--estimate <yuan>', 'price indicated to the customer')
    .option('--parts-value <yuan>', 'value of special-order parts')
    .option('--deposit <yuan>', 'deposit taken (at least booking.deposit_ratio of --parts-value)')
    .option('--force', 'book outside opening hours or over capacity (audited)')
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the booking id')
    .action(
      withCtx(async (ctx, opts) => {
        const bookings = await import('../../app/bookings.js');
        const input = inputOf(opts);
        const r = (!input.plate || !input.at) && canPrompt(opts) ? await addInteractively(ctx, input) : await bookings.addBooking(ctx, input);
        await printResult(ctx, opts, 'booked', r);
      }),
    );

  booking
    .command('list')
    .description('bookings of a day, or from today on')
    .option('--date <day>', 'one day YYYY-MM-DD')
    .option('--status <status>', 'booked, confirmed, arrived, cancelled or no_show (without --date: every date)')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { listBookings } = await import('../../app/bookings.js');
        const { formatLocal } = await import('../../domain/time.js');
        const { json, table } = await import('../format.js');
        const rows = await listBookings(ctx, { date: opts.date as string | undefined, status: opts.status as string | undefined });
        if (opts.json) return out(jsonOut(rows));
        out(table(rows, [
          { header: 'id', value: (r) => r.id, right: true },
          { header: 'time', value: (r) => formatLocal(r.scheduled_at, ctx.tz) },
          { header: 'min', value: (r) => r.minutes, right: true },
          { header: 'plate', value: (r) => r.plate },
          { header: 'customer', value: (r) => r.customer_name },
          { header: 'phone', value: (r) => r.phone },
          { header: 'service', value: (r) => r.service },
          { header: 'advisor', value: (r) => r.advisor },
          { header: 'deposit', value: (r) => (r.deposit_cents ? money(r.deposit_cents) : ''), right: true },
          { header: 'status', value: (r) => r.status },
        ]));
      }),
    );

  booking
    .command('show')
    .description('one booking')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, id) => {
        const { showBooking } = await import('../../app/bookings.js');
        const { formatLocal } = await import('../../domain/time.js');
        const { fields, json } = await import('../format.js');
        const b = await showBooking(ctx, id);
        if (opts.json) return out(jsonOut(b));
        const end = formatLocal(b.ends_at, ctx.tz);
        out(fields([
          ['booking', b.id],
          ['status', b.status + (b.cancel_reason ? ` (${b.cancel_reason})` : '')],
          ['time', `${formatLocal(b.scheduled_at, ctx.tz)} – ${end.slice(0, 10) === formatLocal(b.scheduled_at, ctx.tz).slice(0, 10) ? end.slice(11) : end} (${b.minutes} min)`],
          ['vehicle', [b.plate, b.model].filter(Boolean).join(' ')],
          ['customer', `${b.customer_id} ${b.customer_name} ${b.phone}`],
          ['service', b.service],
          ['complaint', b.complaint],
          ['advisor', b.advisor],
          ['source', b.source],
          ['estimate', money(b.estimate_cents)],
          ['parts value', b.parts_value_cents ? money(b.parts_value_cents) : ''],
          ['deposit', b.deposit_cents ? money(b.deposit_cents) : ''],
          ['deposit moves', b.deposit_moves.map((m) => `${formatLocal(m.at, ctx.tz)} ${m.kind} ${money(m.amount_cents)}${m.reason ? ` (${m.reason})` : ''}`).join('; ')],
          ['deposit owed back', ['cancelled', 'no_show'].includes(b.status) && b.deposit_left_cents > 0 ? money(b.deposit_left_cents) : ''],
          ['order', b.order_number],
          ['booked at', formatLocal(b.created_at, ctx.tz)],
        ]));
      }),
    );

  booking
    .command('slots')
    .description('free capacity by half hour over the opening hours of a day')
    .option('--date <day>', 'YYYY-MM-DD (default today)')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { bookingSlots } = await import('../../app/bookings.js');
        const { toIso } = await import('../../domain/time.js');
        const { json, table, bar } = await import('../format.js');
        const s = await bookingSlots(ctx, opts.date as string | undefined);
        if (opts.json) {
          return out(jsonOut({ day: s.day, bays: s.bays, open: s.open, close: s.close, slots: s.slots.map((r) => ({ time: r.time, start: toIso(r.start), booked: r.booked, free: r.free })) }));
        }
        out(`${s.day}  bays ${s.bays}  open ${s.open}–${s.close}\n`);
        out(table(s.slots, [
          { header: 'time', value: (r) => r.time },
          { header: 'booked', value: (r) => r.booked, right: true },
          { header: 'free', value: (r) => r.free, right: true },
          { header: '', value: (r) => bar(r.free, s.bays, Math.min(20, s.bays * 2)) },
        ]));
      }),
    );

  booking
    .command('confirm')
    .description('the customer confirmed: booked → confirmed')
    .argument('<id>')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm" (default now)')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, id) => {
        const { confirmBooking } = await import('../../app/bookings.js');
        const b = await confirmBooking(ctx, id, { at: opts.at as string | undefined });
        if (opts.json) return out(jsonOut(b));
        out(`confirmed ${await describe(ctx, b)}\n`);
      }),
    );

  booking
    .command('move')
    .description('move a booking to another time (same rules as add)')
    .argument('<id>')
    .option('--at <time>', 'new start "YYYY-MM-DD HH:mm"')
    .option('--minutes <n>', 'new length in minutes (default: unchanged)')
    .option('--force', 'move outside opening hours or over capacity (audited)')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, id) => {
        const { moveBooking } = await import('../../app/bookings.js');
        const r = await moveBooking(ctx, id, { at: opts.at as string | undefined, minutes: opts.minutes as string | undefined, force: !!opts.force });
        if (r.forced.length) note(`note: accepted with --force: ${r.forced.join('; ')}`);
        if (opts.json) return out(jsonOut(r.booking));
        out(`moved ${await describe(ctx, r.booking)}\n`);
      }),
    );

  booking
    .command('cancel')
    .description('cancel a booked or confirmed booking')
    .argument('<id>')
    .option('--reason <text>', 'why')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm" (default now)')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, id) => {
        const { cancelBooking } = await import('../../app/bookings.js');
        const b = await cancelBooking(ctx, id, { reason: opts.reason as string | undefined, at: opts.at as string | undefined });
        if (opts.json) return out(jsonOut(b));
        out(`cancelled ${await describe(ctx, b)}\n`);
      }),
    );

  addOrderOpenOptions(
    booking
      .command('arrive')
      .description('check the booked vehicle in: opens its repair order (= order open --booking ID); a no-show checks in late on its own day')
      .argument('<id>'),
  ).action(
    withCtx<[string]>(async (ctx, opts, id) => {
      const { parseBookingId } = await import('../../app/bookings.js');
      const { openOrder } = await import('../../app/orders.js');
      const input = { ...openInputOf(opts), plate: undefined, bookingId: String(parseBookingId(id)) };
      if (!input.mileage && canPrompt(opts)) {
        const { askText } = await import('../prompt.js');
        const { checkInVehicleId, mileageProblem } = await import('../../app/answers.js');
        const vehicleId = await checkInVehicleId(ctx, { bookingId: input.bookingId });
        const force = !!input.force || input.at !== undefined; // a back-dated reading is checked at commit
        input.mileage = await askText({ message: 'Mileage 里程 (km)', required: true, check: (v) => mileageProblem(ctx, vehicleId, v, force) });
      }
      const r = await openOrder(ctx, input);
      printOpenedOrder(ctx, opts, r);
    }),
  );
}
