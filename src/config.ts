import { Duration } from 'luxon';
import { z } from 'zod';
import { DEFAULT_REMINDER_OFFSETS } from './reminders/defaults.js';

/**
 * The only reader of process.env. Parsed once at boot, typed, frozen.
 * Every setting here is listed in README's environment table.
 */

const isoDuration = z.string().refine((value) => Duration.fromISO(value).isValid, {
  message: 'must be an ISO-8601 duration such as P1D or PT3H',
});

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: 127.0.0.1 in local mode (only this machine reaches the simulator), 0.0.0.0 with Twilio. */
  HOST: optionalString,
  /** The worker process (`start:worker`) serves /livez and /readyz on this port; unset: it does not. */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  REDIS_URL: optionalString,
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_SMS_FROM: optionalString,
  TWILIO_WHATSAPP_FROM: optionalString,
  TWILIO_API_BASE_URL: optionalString.pipe(z.url().optional()),
  REMINDER_OFFSETS: z
    .string()
    .default(DEFAULT_REMINDER_OFFSETS.join(','))
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(isoDuration)),
  STATUS_CHECK_EVERY: isoDuration.default('P7D'),
  /** How long after an appointment to ask whether the person went. */
  FOLLOW_UP_AFTER: isoDuration.default('PT3H'),
  QUIET_HOURS: z
    .string()
    .default('21:00-08:00')
    .refine((value) => value.trim() === '' || /^\d{2}:\d{2}-\d{2}:\d{2}$/.test(value.trim()), {
      message: 'must look like 21:00-08:00, or be empty to disable',
    }),
  DEFAULT_TIMEZONE: z.string().default('America/New_York'),
  DEFAULT_LANGUAGE: z.string().default('en'),
  /** 32 random bytes, base64: encrypts phone numbers and keys the hash used to look people up. */
  HUELLA_SECRET: optionalString,
  /** The secret before the last rotation: ids and sealed numbers made with it still open (README). */
  HUELLA_SECRET_PREVIOUS: optionalString,
  /** Who runs this deployment, shown in the first message and in HELP. */
  ORG_NAME: optionalString,
  /** Where to find legal help, for example a phone number or a clinic's name. */
  LEGAL_HELP: optionalString,
  /** How long a conversation is kept after the last message when nothing is pending. */
  CONVERSATION_RETENTION: isoDuration.default('P90D'),
  DATA_DIR: z.string().default('.data'),
  /** Accept a Redis that may evict keys or has no persistence (tests, throwaway demos). */
  REDIS_ALLOW_UNSAFE: z.enum(['true', 'false']).default('false'),
  /** Port of the redis-server that `npm start` runs when REDIS_URL is unset. */
  LOCAL_REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(6390),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Texts per second Huella may send from each sending number (Twilio's limit for the number type). */
  OUTBOUND_MPS: z.coerce.number().positive().max(1000).default(1),
  /** Approved WhatsApp templates, JSON: {"<name>.<lang>": "HX…"} (used outside the 24-hour window). */
  WHATSAPP_TEMPLATES: z
    .string()
    .default('{}')
    .transform((value, ctx) => {
      try {
        const parsed = JSON.parse(value) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          return parsed as Record<string, string>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object like {"reminder.en":"HX..."}' });
      return z.NEVER;
    }),
  /**
   * Outside the WhatsApp window with no template: "sms" sends by SMS instead, "none" does not send;
   * "auto": SMS when there is an SMS number to send from (or in local mode), else none.
   */
  WHATSAPP_FALLBACK: z.enum(['sms', 'none', 'auto']).default('auto'),
  /** Operator login for /admin (queue dashboard, summary) and /metrics; unset: those are off. */
  ADMIN_USER: z.string().trim().min(1).default('admin'),
  ADMIN_PASSWORD: optionalString.pipe(
    z
      .string()
      .min(12, { message: 'must be at least 12 characters (or unset to turn /admin off)' })
      .optional(),
  ),
  /** The simulator page: auto = on in local mode only; on with Twilio puts it behind the operator login. */
  SIMULATOR: z.enum(['on', 'off', 'auto']).default('auto'),
});

export type Env = z.input<typeof envSchema>;

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  smsFrom: string | undefined;
  whatsappFrom: string | undefined;
  apiBaseUrl: string | undefined;
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  healthPort: number | undefined;
  publicBaseUrl: string;
  redisUrl: string | undefined;
  redisAllowUnsafe: boolean;
  /** Undefined in local mode: no Twilio credentials, the simulator is the phone. */
  twilio: TwilioSettings | undefined;
  localMode: boolean;
  /**
   * Who reaches the simulator: nobody (`off`); anyone who can reach the server in local mode, where
   * no text leaves the machine (`local`); operators who log in, with Twilio configured (`login`).
   */
  simulator: SimulatorAccess;
  /** Operator credentials for /admin and /metrics; undefined: those routes do not exist. */
  admin: { user: string; password: string } | undefined;
  outboundMps: number;
  whatsappTemplates: Record<string, string>;
  whatsappFallback: 'sms' | 'none';
  reminderOffsets: string[];
  followUpAfter: string;
  statusCheckEvery: string;
  quietHours: { start: string; end: string } | undefined;
  defaultTimezone: string;
  defaultLanguage: string;
  secret: string | undefined;
  secretPrevious: string | undefined;
  orgName: string | undefined;
  legalHelp: string | undefined;
  conversationRetentionSeconds: number;
  dataDir: string;
  localRedisPort: number;
  logLevel: string;
}

export type SimulatorAccess = 'off' | 'local' | 'login';

export class ConfigError extends Error {}

/**
 * With Twilio configured the simulator lets its user act for any phone number (read their
 * appointments, queue real texts, stop or erase them), so it exists there only behind the login.
 */
function simulatorAccess(
  setting: 'on' | 'off' | 'auto',
  localMode: boolean,
  hasAdmin: boolean,
): SimulatorAccess {
  if (setting === 'off' || (setting === 'auto' && !localMode)) return 'off';
  if (localMode) return 'local';
  if (!hasAdmin) {
    throw new ConfigError(
      'SIMULATOR=on with Twilio credentials needs ADMIN_PASSWORD: the simulator then sits behind the operator login. Set it, or SIMULATOR=auto.',
    );
  }
  return 'login';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const hasSid = e.TWILIO_ACCOUNT_SID !== undefined;
  const hasToken = e.TWILIO_AUTH_TOKEN !== undefined;
  if (hasSid !== hasToken) {
    throw new ConfigError('Set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or neither (local mode).');
  }
  const twilio: TwilioSettings | undefined =
    e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
      ? {
          accountSid: e.TWILIO_ACCOUNT_SID,
          authToken: e.TWILIO_AUTH_TOKEN,
          smsFrom: e.TWILIO_SMS_FROM,
          whatsappFrom: e.TWILIO_WHATSAPP_FROM,
          apiBaseUrl: e.TWILIO_API_BASE_URL,
        }
      : undefined;
  const localMode = twilio === undefined;
  if (!localMode && e.PUBLIC_BASE_URL === undefined) {
    throw new ConfigError(
      'PUBLIC_BASE_URL is required with Twilio credentials: signatures are checked against it.',
    );
  }
  if (!localMode && e.HUELLA_SECRET === undefined) {
    throw new ConfigError(
      'HUELLA_SECRET is required with Twilio credentials (32 random bytes, base64: `openssl rand -base64 32`).',
    );
  }
  if (e.HUELLA_SECRET !== undefined && Buffer.from(e.HUELLA_SECRET, 'base64').length < 32) {
    throw new ConfigError('HUELLA_SECRET must be at least 32 bytes, base64-encoded.');
  }
  if (e.HUELLA_SECRET_PREVIOUS !== undefined) {
    if (Buffer.from(e.HUELLA_SECRET_PREVIOUS, 'base64').length < 32)
      throw new ConfigError('HUELLA_SECRET_PREVIOUS must be at least 32 bytes, base64-encoded.');
    if (e.HUELLA_SECRET === undefined || e.HUELLA_SECRET === e.HUELLA_SECRET_PREVIOUS)
      throw new ConfigError('HUELLA_SECRET_PREVIOUS needs a new HUELLA_SECRET beside it.');
  }
  const quiet = e.QUIET_HOURS.trim();
  const [quietStart, quietEnd] = quiet === '' ? [] : quiet.split('-');
  const config: Config = {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    healthPort: e.HEALTH_PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    redisUrl: e.REDIS_URL,
    redisAllowUnsafe: e.REDIS_ALLOW_UNSAFE === 'true',
    twilio,
    localMode,
    simulator: simulatorAccess(e.SIMULATOR, localMode, e.ADMIN_PASSWORD !== undefined),
    admin: e.ADMIN_PASSWORD ? { user: e.ADMIN_USER, password: e.ADMIN_PASSWORD } : undefined,
    outboundMps: e.OUTBOUND_MPS,
    whatsappTemplates: e.WHATSAPP_TEMPLATES,
    // A reminder the person asked for reaches the same phone by SMS rather than not at all.
    whatsappFallback:
      e.WHATSAPP_FALLBACK === 'auto'
        ? localMode || e.TWILIO_SMS_FROM
          ? 'sms'
          : 'none'
        : e.WHATSAPP_FALLBACK,
    reminderOffsets: e.REMINDER_OFFSETS,
    followUpAfter: e.FOLLOW_UP_AFTER,
    statusCheckEvery: e.STATUS_CHECK_EVERY,
    quietHours: quietStart && quietEnd ? { start: quietStart, end: quietEnd } : undefined,
    defaultTimezone: e.DEFAULT_TIMEZONE,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    secret: e.HUELLA_SECRET,
    secretPrevious: e.HUELLA_SECRET_PREVIOUS,
    orgName: e.ORG_NAME,
    legalHelp: e.LEGAL_HELP,
    conversationRetentionSeconds: Math.round(Duration.fromISO(e.CONVERSATION_RETENTION).as('seconds')),
    dataDir: e.DATA_DIR,
    localRedisPort: e.LOCAL_REDIS_PORT,
    logLevel: e.LOG_LEVEL,
  };
  return Object.freeze(config);
}
