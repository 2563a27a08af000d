import type { Command } from 'commander';

/** Not built yet: registers nothing. */
export function registerAdmin(program: Command): void {
  void program;
}
