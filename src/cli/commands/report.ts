import type { Command } from 'commander';

/** Not built yet: registers nothing. */
export function registerReport(program: Command): void {
  void program;
}
