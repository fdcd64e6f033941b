import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';

/** The shared Redis client, or null when REDIS_URL is unset (then in-process equivalents are used). */
export const REDIS = Symbol('REDIS');
export type RedisClient = Redis | null;

@Global()
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          useFactory: (): RedisClient =>
            config.redis === null
              ? null
              : new Redis(config.redis.url, {
                  keyPrefix: config.redis.keyPrefix,
                  maxRetriesPerRequest: 2,
                  connectTimeout: 5_000,
                  lazyConnect: false,
                }),
        },
      ],
      exports: [REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
