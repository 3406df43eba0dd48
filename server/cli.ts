// The `civitas` command line. Every command has --help; wrong arguments print one line and
// exit with code 2; other failures exit with 1.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { PERMISSIONS, ROLES } from '../contract/auth.js';
import { backup, restore } from './cli/backup.js';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type Config } from './config.js';
import { dedupCommand } from './modules/dedup/dedup.command.js';
import { runDemo } from './modules/demo/demo.command.js';
import { geoCommand } from './modules/geo/geo.command.js';
import { importCli } from './modules/imports/imports.cli.js';
import * as offices from './modules/offices/offices.service.js';
import * as tokens from './modules/tokens/tokens.service.js';
import { triageCommand } from './modules/triage/triage.command.js';
import * as users from './modules/users/users.service.js';
import { migrate } from './platform/db/migrate.js';
import { DomainError } from './platform/errors.js';
import { systemScope } from './platform/scope.js';
import { openRuntime, type Runtime } from './runtime.js';
import { startServer, startWorker } from './server.js';

class UsageError extends Error {}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

function config(): Config {
  return loadConfig();
}

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime(config());
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

async function officeBySlug(rt: Runtime, slug: string) {
  const office = await offices.getBySlug(rt.database.db, slug);
  if (!office) throw new UsageError(`no office with slug "${slug}" (see: civitas office list)`);
  return office;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('--password-stdin expects the password on standard input');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function buildCli(): Command {
  const program = new Command('civitas')
    .description('Civitas constituent services platform')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program.command('start').description('Run the web server (and background jobs unless JOBS=off)').action(async () => startServer(config()));
  program.command('worker').description('Run background jobs only (for separate worker processes)').action(async () => startWorker(config()));

  program.command('migrate').description('Apply database migrations').action(async () => {
    await withRuntime(async (rt) => {
      const r = await migrate(rt.database.pool);
      console.log(r.applied.length ? `applied: ${r.applied.join(', ')}` : `database is up to date (${r.alreadyApplied} migrations)`);
    });
  });

  const office = program.command('office').description('Manage offices');
  office
    .command('create')
    .description('Create an office')
    .requiredOption('--slug <slug>', 'short id used in URLs, e.g. lewisham')
    .requiredOption('--name <name>', 'display name')
    .option('--time-zone <tz>', 'IANA time zone', 'Europe/London')
    .option('--locale <locale>', 'locale', 'en-GB')
    .option('--region <cc>', 'default phone region (ISO country code)', 'GB')
    .action(async (o: { slug: string; name: string; timeZone: string; locale: string; region: string }) => {
      await withRuntime(async (rt) => {
        const created = await offices.create(rt.database.db, { slug: o.slug, name: o.name, timeZone: o.timeZone, locale: o.locale, defaultRegion: o.region });
        console.log(`created office ${created.slug} (${created.id})`);
      });
    });
  office.command('list').description('List offices').action(async () => {
    await withRuntime(async (rt) => {
      for (const o of await offices.list(rt.database.db)) console.log(`${o.slug}\t${o.name}\t${o.timeZone}\t${o.id}`);
    });
  });

  const user = program.command('user').description('Manage staff users');
  user
    .command('create')
    .description('Create a staff user; prints a generated password unless --password-stdin is given')
    .requiredOption('--office <slug>', 'office slug')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'role').choices(ROLES).default('caseworker'))
    .option('--password-stdin', 'read the password from standard input')
    .action(async (o: { office: string; email: string; name: string; role: (typeof ROLES)[number]; passwordStdin?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : undefined;
      await withRuntime(async (rt) => {
        const off = await officeBySlug(rt, o.office);
        const r = await users.create(systemScope(rt.database.db, off.id, 'cli'), { email: o.email, displayName: o.name, role: o.role, ...(password !== undefined ? { password } : {}) });
        console.log(`created ${r.user.role} ${r.user.email} (${r.user.id})`);
        if (r.generatedPassword) console.log(`password: ${r.generatedPassword}`);
      });
    });
  user
    .command('reset-password')
    .description('Set a new password (generated unless --password-stdin) and sign the user out everywhere')
    .requiredOption('--email <email>', 'sign-in email')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (o: { email: string; passwordStdin?: boolean }) => {
      const password = o.passwordStdin ? await readStdin() : undefined;
      await withRuntime(async (rt) => {
        const u = await users.findByEmail(rt.database.db, o.email.toLowerCase());
        if (!u) throw new UsageError(`no user with email ${o.email}`);
        const r = await users.resetPassword(systemScope(rt.database.db, u.office_id, 'cli'), u.id, password);
        console.log(r.generatedPassword ? `password: ${r.generatedPassword}` : 'password changed');
      });
    });

  program
    .command('token')
    .description('Manage API tokens')
    .command('create')
    .description('Create an API token for a user; prints the secret once')
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--scopes <list>', `comma-separated permissions (${PERMISSIONS.join(', ')})`)
    .option('--expires-days <n>', 'days until it expires', positiveInt('--expires-days'))
    .action(async (o: { email: string; name: string; scopes: string; expiresDays?: number }) => {
      const scopes = o.scopes.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = scopes.filter((s) => !(PERMISSIONS as readonly string[]).includes(s));
      if (unknown.length || scopes.length === 0) throw new UsageError(`unknown scope(s): ${unknown.join(', ') || '(none given)'}`);
      await withRuntime(async (rt) => {
        const u = await users.findByEmail(rt.database.db, o.email.toLowerCase());
        if (!u) throw new UsageError(`no user with email ${o.email}`);
        const r = await tokens.create(systemScope(rt.database.db, u.office_id, 'cli'), u.id, {
          name: o.name,
          scopes: scopes as (typeof PERMISSIONS)[number][],
          ...(o.expiresDays ? { expiresInDays: o.expiresDays } : {}),
        });
        console.log(`token ${r.token.id} for ${u.email}, scopes ${r.token.scopes.join(',')}`);
        console.log(r.secret);
      });
    });

  program
    .command('demo')
    .description('Fill an office with realistic demo data for a fictional district')
    .option('--office <slug>', 'office slug (created if missing)', 'main')
    .option('--constituents <n>', 'number of constituents', positiveInt('--constituents'), 2000)
    .option('--cases <n>', 'number of cases', positiveInt('--cases'), 5000)
    .option('--seed <n>', 'random seed, for repeatable data', positiveInt('--seed'), 42)
    .action(async (o: { office: string; constituents: number; cases: number; seed: number }) => {
      await withRuntime((rt) => runDemo(rt.database, { officeSlug: o.office, constituents: o.constituents, cases: o.cases, seed: o.seed }));
    });

  geoCommand(program, { withRuntime, officeBySlug });
  dedupCommand(program, { withRuntime, officeBySlug });
  importCli(program, { withRuntime, officeBySlug });
  triageCommand(program);

  program
    .command('backup')
    .description('Back up the database (PGlite: .tar.gz of the data dir; PostgreSQL: pg_dump custom format)')
    .requiredOption('--out <file>', 'backup file to write')
    .action(async (o: { out: string }) => {
      const file = await backup(config(), o.out);
      console.log(`backup written to ${file}`);
    });

  program
    .command('restore')
    .description('Restore a backup made by `civitas backup` (stop Civitas first)')
    .argument('<file>', 'backup file')
    .option('--force', 'replace an existing embedded database (the old one is kept beside it)')
    .action(async (file: string, o: { force?: boolean }) => {
      await restore(config(), file, o.force ?? false);
      console.log('restore complete');
    });

  program
    .command('config')
    .description('Configuration')
    .command('check')
    .description('Validate the environment and print the effective configuration (secrets hidden)')
    .action(async () => {
      const c = config();
      const shown = { ...c, databaseUrl: c.databaseUrl ? c.databaseUrl.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1:***@') : '(embedded PGlite)', metricsToken: c.metricsToken ? '***' : undefined, smtpUrl: c.smtpUrl ? c.smtpUrl.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1:***@') : '(none: .eml files in DATA_DIR/mail-outbox)' };
      console.log(JSON.stringify(shown, null, 2));
      console.log(`configuration is valid (variables understood: ${CONFIG_VARIABLES.join(', ')})`);
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; commander has already printed usage errors.
      process.exit(err.exitCode === 0 ? 0 : 2);
    }
    if (err instanceof UsageError) {
      console.error(`civitas: ${err.message}`);
      process.exit(2);
    }
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    if (err instanceof DomainError) {
      console.error(`civitas: ${err.message}${err.field ? ` (${err.field})` : ''}`);
      process.exit(err.code === 'validation_failed' || err.code === 'conflict' || err.code === 'not_found' ? 2 : 1);
    }
    if (err && typeof err === 'object' && 'issues' in err) {
      const issues = (err as { issues: { path: (string | number)[]; message: string }[] }).issues;
      console.error(`civitas: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      process.exit(2);
    }
    console.error(`civitas: ${(err as Error).message}`);
    process.exit(1);
  }
}
