// `civitas start` and `civitas worker`: the long-running processes, with graceful shutdown.
import { buildApp } from './app.js';
import { bootstrapIfEmpty } from './bootstrap.js';
import type { Config } from './config.js';
import { startSmtpListener } from './modules/intake/intake.smtp.js';
import { openRuntime } from './runtime.js';

function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      console.error(`${signal} received, shutting down…`);
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
}

export async function startServer(config: Config): Promise<void> {
  const runtime = await openRuntime(config);
  const app = await buildApp({ config, database: runtime.database, jobs: runtime.jobs });
  // Always start the queue so the API can enqueue; run handlers here unless JOBS=off.
  await runtime.jobs.start({ work: config.jobs === 'embedded' });
  const first = await bootstrapIfEmpty(runtime.database.db);
  await app.listen({ host: config.host, port: config.port });
  const smtp = config.smtpListener
    ? await startSmtpListener(runtime.database, runtime.jobs, { ...config.smtpListener, maxBytes: config.intakeMaxBytes }, { info: (m) => console.error(typeof m === 'string' ? m : JSON.stringify(m)), error: (obj, msg) => app.log.error(obj, msg) })
    : null;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const lines = [
    `Civitas is running at ${url}  (database: ${runtime.database.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}, jobs: ${config.jobs})`,
  ];
  if (first) {
    lines.push(
      '',
      'First start: created office "main" and an administrator. This password is shown only once:',
      `  email:    ${first.email}`,
      `  password: ${first.password}`,
      'To load demo data: stop the server (Ctrl-C), run `npx civitas demo --office main`, start again.',
    );
  }
  console.error(lines.join('\n'));
  onShutdown(async () => {
    await smtp?.close();
    await app.close();
    await runtime.close();
  });
}

export async function startWorker(config: Config): Promise<void> {
  if (!config.databaseUrl) {
    throw new Error('civitas worker needs PostgreSQL (DATABASE_URL): the embedded database is single-process, so with it jobs run inside `civitas start`.');
  }
  const runtime = await openRuntime(config);
  await runtime.jobs.start({ work: true });
  console.error(`Civitas worker running jobs: ${runtime.jobs.names.join(', ')}`);
  onShutdown(() => runtime.close());
}
