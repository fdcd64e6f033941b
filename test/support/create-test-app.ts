import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/load-config';
import type { AppConfig } from '../../src/config/app-config';
import { ADMIN_TOKEN_FILE } from '../../src/config/local-secrets';
import { readFileSync } from 'node:fs';
import {
  createPostgresDatabase,
  REDIS_TEST_URL,
  TEST_DATABASE,
  uniqueRedisPrefix,
  type TestDatabase,
} from './test-environment';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  adminToken: string;
  dataDir: string;
  /** Every log line the app wrote, as text, for asserting that no secret is ever logged. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment variables, on top of a temporary DATA_DIR and (in postgres mode) a fresh database and Redis prefix. */
  env?: Record<string, string>;
  /** Reuse a DATA_DIR (to restart on the same SQLite file and secrets). */
  dataDir?: string;
  /** Reuse a database (to restart on the same PostgreSQL database). */
  database?: TestDatabase;
}

/** Boots the real app on 127.0.0.1 with a free port and its own data directory and database. */
export async function createTestApp(label: string, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `switchyard-${label}-`));
  const database =
    options.database ??
    (TEST_DATABASE === 'postgres' ? await createPostgresDatabase(label) : undefined);
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(TEST_DATABASE === 'postgres'
      ? { REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: uniqueRedisPrefix(label) }
      : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const app = await createApp(config, { logger: pino({ level: config.log.level }, sink) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = await app.getUrl();

  return {
    app,
    config,
    baseUrl: baseUrl.replace('[::1]', '127.0.0.1'),
    adminToken: config.adminToken ?? readFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim(),
    dataDir,
    logs,
    async close() {
      await app.close();
      if (!options.database) await database?.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
