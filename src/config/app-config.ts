import type { EnvSchema } from './env.schema';

export type LogLevel = EnvSchema['LOG_LEVEL'];

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly redis: { readonly url: string; readonly keyPrefix: string } | null;
  /** Set when SWITCHYARD_ADMIN_TOKEN is given; otherwise read from or generated into DATA_DIR. */
  readonly adminToken: string | null;
  /** Set when SWITCHYARD_MASTER_KEY is given; otherwise read from or generated into DATA_DIR. */
  readonly masterKey: Buffer | null;
  /** Earlier master keys, still accepted for opening secrets until they are re-sealed. */
  readonly previousMasterKeys: readonly Buffer[];
  readonly upstream: {
    /** Refuse loopback and private addresses (link-local and metadata are refused regardless). */
    readonly blockPrivate: boolean;
    /** CIDR ranges allowed even when private addresses are refused. */
    readonly allowCidrs: readonly string[];
  };
  readonly providerTestTimeoutMs: number;
  /** Built-in providers: enabled when their API key is set. */
  readonly builtins: {
    readonly openai: BuiltinProviderConfig;
    readonly anthropic: BuiltinProviderConfig;
  };
  readonly upstreamTimeouts: { readonly connectMs: number; readonly firstByteMs: number };
  readonly keyCacheTtlMs: number;
  readonly migrationsRun: boolean;
  readonly bodyLimitBytes: number;
  readonly log: { readonly level: LogLevel };
}

export interface BuiltinProviderConfig {
  readonly apiKey: string | null;
  readonly baseUrl: string;
}
