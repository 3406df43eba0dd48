// Parses the environment once, at start-up. Nothing else in the code base reads process.env.
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  JOBS: z.enum(['embedded', 'off']).default('embedded'),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(60 * 24 * 7).default(120),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  GEOCODER_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  GEOCODER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().trim().regex(/^[^<>@\s]+@[^<>@\s]+$|^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/, 'must be an address, optionally with a name: Name <user@host>').default('Civitas <no-reply@localhost>'),
  STORAGE: z.enum(['disk', 's3']).default('disk'),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name').optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(2 * 1024 ** 3).default(25 * 1024 * 1024),
  TASK_REMINDER_LEAD_DAYS: z.coerce.number().int().min(0).max(30).default(0),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_TLS_KEY: z.string().min(1).optional(),
  SMTP_TLS_CERT: z.string().min(1).optional(),
  INTAKE_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(25 * 1024 * 1024),
  TWILIO_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://api.twilio.com'),
  INTAKE_FORM_MIN_SECONDS: z.coerce.number().int().min(0).max(600).default(3),
  INTAKE_FORM_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
  INTAKE_FORM_PER_EMAIL_PER_HOUR: z.coerce.number().int().min(1).default(5),
  PORTAL_PHOTO_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  PORTAL_PHOTOS_MAX_TOTAL_BYTES: z.coerce.number().int().min(1024).max(500 * 1024 * 1024).default(25 * 1024 * 1024),
  ALERTS_CONFIRMATIONS_PER_EMAIL_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  ALERTS_CONFIRMATIONS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(10),
  OPEN311_READS_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  OPEN311_POSTS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  DKIM_DOMAIN: z.string().trim().toLowerCase().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a domain name such as town.example').optional(),
  DKIM_SELECTOR: z.string().trim().regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'must be a DNS label such as civitas2026').optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  // Tile servers are addressed by a template; the SPA's map library fills in {z}/{x}/{y} (and {s} or {r} if present).
  MAP_TILE_URL: z.string().trim().regex(/^https?:\/\/[^\s"'<>]+$/, 'must be an http(s) URL')
    .refine((u) => ['{z}', '{x}', '{y}'].every((p) => u.includes(p)), 'must be a tile URL template containing {z}, {x} and {y}')
    .refine((u) => URL.canParse(u.replace(/\{[a-z]\}/g, '0')), 'must be an http(s) URL').optional(),
  MAP_TILE_ATTRIBUTION: z.string().trim().min(1).max(300).optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  /** undefined means the embedded PGlite database in dataDir/pgdata */
  databaseUrl: string | undefined;
  poolMax: number;
  publicUrl: string;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  trustProxy: boolean;
  jobs: 'embedded' | 'off';
  sessionTtlHours: number;
  sessionIdleMinutes: number;
  bodyLimit: number;
  rateLimitPerMinute: number;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  metricsToken: string | undefined;
  /** Base URL of a Nominatim-compatible geocoder; undefined means none (offline). */
  geocoderUrl: string | undefined;
  geocoderTimeoutMs: number;
  /** Outbound SMTP server; undefined means messages are written as .eml files to dataDir/mail-outbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where uploaded and generated files are kept (disk: DATA_DIR/files). */
  storage: StorageConfig;
  /** The largest file accepted by an upload. */
  uploadMaxBytes: number;
  /** Days before a task's due date that its assignee is reminded (0: on the day). */
  taskReminderLeadDays: number;
  /** The inbound SMTP listener: off unless a port is set; STARTTLS when a key and certificate are given. */
  smtpListener: { port: number; host: string; tls: { key: string; cert: string } | null } | null;
  /** The largest inbound message (email, webhook body) accepted. */
  intakeMaxBytes: number;
  /** Base URL of the Twilio (or Twilio-compatible) REST API that text messages are sent through. */
  twilioApiUrl: string;
  /** The public request form: the least time a person takes to fill it in, and the flood limits per client address and per email/phone. */
  intakeForm: { minSeconds: number; perIpPerHour: number; perEmailPerHour: number };
  /** The portal's photo limits: each photo, and all the photos of one report or comment together. */
  portalPhotos: { maxBytes: number; maxTotalBytes: number };
  /** Area alerts' confirmation emails per address and per client address per hour (a flood of sign-ups for someone else's address). */
  alertLimits: { perEmailPerHour: number; perIpPerHour: number };
  /** Open311 GeoReport v2 requests accepted per client address per minute (a FixMyStreet bridge posts a whole city from one address). */
  open311Limits: { readsPerMinute: number; postsPerMinute: number };
  /** DKIM signing of outgoing mail (d=domain, s=selector, the PEM private key's file); null: unsigned. */
  dkim: { domain: string; selector: string; privateKeyFile: string } | null;
  /** Background tiles for the staff app's maps and the credit shown with them; null: GeoJSON on a plain background. */
  mapTiles: { url: string; attribution: string | null } | null;
};

export type StorageConfig =
  | { kind: 'disk' }
  | { kind: 's3'; endpoint: string | undefined; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The variables this file understands, for `civitas config check` and the docs. */
export const CONFIG_VARIABLES = Object.keys(ZEnv.shape);

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in ZEnv.shape && v !== undefined && v !== ''),
  );
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  if (e.STORAGE === 's3') {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when STORAGE=s3`));
  }
  if (e.MAP_TILE_ATTRIBUTION && !e.MAP_TILE_URL) throw new ConfigError(['MAP_TILE_ATTRIBUTION: only used with MAP_TILE_URL (set both, or neither)']);
  if (!!e.SMTP_TLS_KEY !== !!e.SMTP_TLS_CERT) throw new ConfigError(['SMTP_TLS_KEY, SMTP_TLS_CERT: give both (file paths), or neither']);
  const dkimVars = ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY_FILE'] as const;
  const dkimMissing = dkimVars.filter((k) => !e[k]);
  if (dkimMissing.length && dkimMissing.length < dkimVars.length) {
    throw new ConfigError(dkimMissing.map((k) => `${k}: required for DKIM signing when ${dkimVars.filter((v) => e[v]).join(' and ')} ${dkimMissing.length === 2 ? 'is' : 'are'} set (give all three, or none)`));
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    poolMax: e.DATABASE_POOL_MAX,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    jobs: e.JOBS,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    bodyLimit: e.BODY_LIMIT_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginWindowMinutes: e.LOGIN_WINDOW_MINUTES,
    metricsToken: e.METRICS_TOKEN,
    geocoderUrl: e.GEOCODER_URL,
    geocoderTimeoutMs: e.GEOCODER_TIMEOUT_MS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    storage: e.STORAGE === 's3'
      ? { kind: 's3', endpoint: e.S3_ENDPOINT, region: e.S3_REGION, bucket: e.S3_BUCKET!, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY!, forcePathStyle: e.S3_FORCE_PATH_STYLE }
      : { kind: 'disk' },
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    taskReminderLeadDays: e.TASK_REMINDER_LEAD_DAYS,
    smtpListener: e.SMTP_PORT === undefined ? null : {
      port: e.SMTP_PORT, host: e.SMTP_HOST ?? e.HOST,
      tls: e.SMTP_TLS_KEY && e.SMTP_TLS_CERT ? { key: path.resolve(e.SMTP_TLS_KEY), cert: path.resolve(e.SMTP_TLS_CERT) } : null,
    },
    intakeMaxBytes: e.INTAKE_MAX_BYTES,
    twilioApiUrl: e.TWILIO_API_URL.replace(/\/$/, ''),
    intakeForm: { minSeconds: e.INTAKE_FORM_MIN_SECONDS, perIpPerHour: e.INTAKE_FORM_PER_IP_PER_HOUR, perEmailPerHour: e.INTAKE_FORM_PER_EMAIL_PER_HOUR },
    portalPhotos: { maxBytes: e.PORTAL_PHOTO_MAX_BYTES, maxTotalBytes: e.PORTAL_PHOTOS_MAX_TOTAL_BYTES },
    alertLimits: { perEmailPerHour: e.ALERTS_CONFIRMATIONS_PER_EMAIL_PER_HOUR, perIpPerHour: e.ALERTS_CONFIRMATIONS_PER_IP_PER_HOUR },
    open311Limits: { readsPerMinute: e.OPEN311_READS_PER_MINUTE, postsPerMinute: e.OPEN311_POSTS_PER_MINUTE },
    dkim: e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY_FILE ? { domain: e.DKIM_DOMAIN, selector: e.DKIM_SELECTOR, privateKeyFile: path.resolve(e.DKIM_PRIVATE_KEY_FILE) } : null,
    mapTiles: e.MAP_TILE_URL ? { url: e.MAP_TILE_URL, attribution: e.MAP_TILE_ATTRIBUTION ?? null } : null,
  };
}
