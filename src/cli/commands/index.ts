/**
 * Every command module. Each registers its noun on the program; none imports the database or the
 * rules at load time, so building the whole tree for `--help` is cheap.
 */
import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerCustomer } from './customer.js';
import { registerVehicle } from './vehicle.js';
import { registerStaff } from './staff.js';
import { registerData } from './data.js';
import { registerBooking } from './booking.js';
import { registerOrder } from './order.js';
import { registerFollowup } from './followup.js';
import { registerJobs } from './jobs.js';
import { registerReport } from './report.js';
import { registerDemo } from './demo.js';
import { registerAdmin } from './admin.js';
import { registerArchiveCorrections } from './archive-corrections.js';
import { registerBoard } from './board.js';
import { registerInspection } from './inspection.js';
import { registerPrint } from './print.js';
import { registerContact } from './contact.js';
import { registerOutbox } from './outbox.js';
import { registerGroup } from './group.js';

export const commandModules: ReadonlyArray<(program: Command) => void> = [
  registerCustomer,
  registerVehicle,
  registerStaff,
  registerBooking,
  registerOrder,
  registerFollowup,
  registerContact,
  registerOutbox,
  registerArchiveCorrections,
  registerBoard,
  registerInspection,
  registerPrint,
  registerJobs,
  registerReport,
  registerGroup,
  registerData,
  registerConfig,
  registerDemo,
  registerAdmin,
];
