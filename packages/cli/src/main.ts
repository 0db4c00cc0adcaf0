/** Entry point of the `steward` bin: runs the program on the process arguments and exits with its code. */
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
