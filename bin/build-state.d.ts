/** The compiled entry, dist/server/main.js, under the project root `root`. */
export function serverEntry(root: string): string;
/** True when dist/server/main.js is missing or older than a file of server/ or contract/. */
export function serverBuildIsStale(root: string): boolean;
