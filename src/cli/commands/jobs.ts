import type { Command } from 'commander';

/** Not built yet: registers nothing. */
export function registerJobs(program: Command): void {
  void program;
}
