/**
 * Checks of one answer at the desk, run right after it is given (SPEC §9 "Prompts check as they go"):
 * each reads only, outside any transaction, so no write lock is held while a person types. The
 * use-case checks everything again when it commits.
 */
import type { Ctx } from './context.js';
import { customerByPhone } from '../db/customers.js';
import { vehicleByPlate } from '../db/vehicles.js';
import { bookingById } from '../db/bookings.js';
import { checkNewReading } from './vehicles.js';
import { parseKm } from '../domain/identity.js';
import { localDay } from '../domain/time.js';

/** A phone that already belongs to a customer (phones are unique), as a message; else null. */
export async function phoneTaken(ctx: Ctx, phone: string): Promise<string | null> {
  const known = await customerByPhone(ctx.db, phone);
  return known ? `phone ${phone} already belongs to customer ${known.id} ${known.name}` : null;
}

/** The vehicle a check-in is for: by plate, or by the booking being checked in. */
export async function checkInVehicleId(ctx: Ctx, ref: { plate?: string; bookingId?: string }): Promise<number | null> {
  if (ref.plate) return (await vehicleByPlate(ctx.db, ref.plate))?.id ?? null;
  if (ref.bookingId && /^\d+$/.test(ref.bookingId)) return (await bookingById(ctx.db, Number(ref.bookingId)))?.vehicle_id ?? null;
  return null;
}

/** A check-in mileage that is below the last reading, or an unlikely jump (unless forced), as a message. */
export async function mileageProblem(ctx: Ctx, vehicleId: number | null, text: string, force: boolean): Promise<string | null> {
  const km = parseKm('mileage', text);
  if (vehicleId === null || force) return null;
  try {
    await checkNewReading(ctx, vehicleId, km, localDay(ctx.now, ctx.tz), false);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
