import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Which configuration the e2e suite runs against: the embedded defaults, or PostgreSQL + Redis. */
export const TEST_DATABASE: 'sqlite' | 'postgres' =
  process.env.SWITCHYARD_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database; drop() removes it. */
export async function createPostgresDatabase(label: string): Promise<TestDatabase> {
  const name = `sy_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminClient((client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function uniqueRedisPrefix(label: string): string {
  return `sytest:${label}:${randomBytes(4).toString('hex')}:`;
}
