import type { Command } from 'commander';

/** Not built yet: registers nothing. */
export function registerDemo(program: Command): void {
  void program;
}
