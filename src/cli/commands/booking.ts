import type { Command } from 'commander';

/** Not built yet: registers nothing. */
export function registerBooking(program: Command): void {
  void program;
}
