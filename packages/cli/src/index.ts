/**
 * @steward/cli — the `steward` command line as a library: {@link createProgram} builds it and
 * {@link run} runs it on an argument list (what the bin and the tests both do).
 */
export { createProgram, run } from './program.js';
export type { ProgramIO } from './program.js';
