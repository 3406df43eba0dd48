// Compiled entry for bin/civitas.js.
export { main } from './cli.js';
