import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS, type RedisClient } from '../redis/redis.module';

type Listener = (projectId: string) => void;

/**
 * Tells whoever caches a project's providers (routing) that they changed: at once in this process,
 * and through Redis pub/sub in every other replica when Redis is configured.
 */
@Injectable()
export class ProviderChanges implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ProviderChanges.name);
  private readonly listeners = new Set<Listener>();
  private readonly channel: string;
  private subscriber: Redis | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // Pub/sub channels do not get ioredis' keyPrefix; add it so deployments sharing a Redis stay apart.
    this.channel = `${config.redis?.keyPrefix ?? ''}provider-changes`;
  }

  async onModuleInit(): Promise<void> {
    if (this.redis === null) return;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, projectId: string) => this.emit(projectId));
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  subscribe(listener: Listener): void {
    this.listeners.add(listener);
  }

  notify(projectId: string): void {
    this.emit(projectId);
    // Other replicas also drop their copy after a short TTL, so a lost message only delays the change.
    this.redis?.publish(this.channel, projectId).catch((error: unknown) => {
      this.logger.warn({ msg: 'Could not publish a provider change', err: error, projectId });
    });
  }

  private emit(projectId: string): void {
    for (const listener of this.listeners) listener(projectId);
  }
}
