// Runs the CLI from the TypeScript sources (tests and development): `tsx scripts/civitas-dev.ts …`.
import { main } from '../server/cli.js';

await main(process.argv.slice(2));
