import type { Command } from 'commander';

/** Not built yet: registers nothing. */
export function registerOrder(program: Command): void {
  void program;
}
