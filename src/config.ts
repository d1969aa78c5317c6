import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting Clientele reads from its environment, parsed once at start-up.
 * The CLI flags `--data` and `--port` override the matching variables.
 */
const configSchema = z.object({
  /** PostgreSQL server URL. When set, the embedded database is not used. Secret: may contain a password. */
  DATABASE_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
  /** Folder of the embedded PGlite database. */
  CLIENTELE_DATA: z.string().min(1).default('./data'),
  /** HTTP port of `clientele serve`. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface the server listens on. */
  HOST: z.string().default('0.0.0.0'),
  /** Largest accepted request body in bytes (413 above it). */
  CLIENTELE_BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  /** Fastify log level: fatal, error, warn, info, debug, trace or silent. */
  /** Master key for personal data at rest (base64 or hex, 32 bytes). Secret. Without it a key file is used. */
  CLIENTELE_MASTER_KEY: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(32).optional(),
  ),
  /** Key file created on first start (mode 0600) when no master key is set. Default: beside the data folder. */
  CLIENTELE_KEY_FILE: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type EnvConfig = z.infer<typeof configSchema>;

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  bodyLimit: number;
  logLevel: EnvConfig['LOG_LEVEL'];
  masterKey: string | undefined;
  keyFile: string;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { dataDir?: string; port?: number } = {},
): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`配置无效 / Invalid configuration:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  return {
    databaseUrl: value.DATABASE_URL,
    dataDir: path.resolve(overrides.dataDir ?? value.CLIENTELE_DATA),
    port: overrides.port ?? value.PORT,
    host: value.HOST,
    bodyLimit: value.CLIENTELE_BODY_LIMIT,
    logLevel: value.LOG_LEVEL,
    masterKey: value.CLIENTELE_MASTER_KEY,
    // Not inside the data folder: a copy of the folder alone must not be readable.
    keyFile: path.resolve(
      value.CLIENTELE_KEY_FILE ??
        (value.DATABASE_URL
          ? './clientele.key'
          : `${path.resolve(overrides.dataDir ?? value.CLIENTELE_DATA)}.key`),
    ),
  };
}
