import type { Command } from 'commander';

/** Not built yet: registers nothing. */
export function registerFollowup(program: Command): void {
  void program;
}
