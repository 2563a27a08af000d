/** The one error type and the exit codes live in the pure layer (src/domain/errors.ts); this path stays for the rest. */
export * from './domain/errors.js';
