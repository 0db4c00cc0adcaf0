/** Entry point of the `steward-apiserver` bin. */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
