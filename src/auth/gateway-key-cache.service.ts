import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import type { GatewayPrincipal } from '../common/http/request-context';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ApiKeyEntity } from './entities/api-key.entity';
import { hashKey } from './key-format';

interface CacheEntry {
  principal: GatewayPrincipal | null;
  expiresAt: number;
}

// Bounds memory when someone sprays random keys: unknown keys are cached too, and the oldest entries go first.
const MAX_ENTRIES = 50_000;

/**
 * Resolves gateway keys to their principal without a database read per request: lookups are
 * cached for KEY_CACHE_TTL_SECONDS. Revoking a key or deleting a project drops the entries on
 * this replica at once; other replicas notice when their entry expires.
 */
@Injectable()
export class GatewayKeyCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<GatewayPrincipal | null>>();
  // Bumped by every forget*: a lookup that was already running may have read the row before the
  // revocation, so its answer must not be cached.
  private generation = 0;

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly apiKeys: Repository<ApiKeyEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  resolve(secret: string): GatewayPrincipal | null | Promise<GatewayPrincipal | null> {
    const hash = hashKey(secret);
    const cached = this.entries.get(hash);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.principal;
    // Concurrent misses for one key share a single query.
    const shared = this.pending.get(hash);
    if (shared !== undefined) return shared;
    const lookup: Promise<GatewayPrincipal | null> = this.load(hash, this.generation).finally(
      () => {
        if (this.pending.get(hash) === lookup) this.pending.delete(hash);
      },
    );
    this.pending.set(hash, lookup);
    return lookup;
  }

  forgetKey(keyHash: string): void {
    this.generation++;
    this.entries.delete(keyHash);
    this.pending.delete(keyHash);
  }

  forgetProject(projectId: string): void {
    this.generation++;
    this.pending.clear();
    for (const [hash, entry] of this.entries) {
      if (entry.principal?.projectId === projectId) this.entries.delete(hash);
    }
  }

  private async load(hash: string, generation: number): Promise<GatewayPrincipal | null> {
    const key = await this.apiKeys.findOne({
      where: { keyHash: hash, revokedAt: IsNull() },
      relations: { project: true },
    });
    const principal: GatewayPrincipal | null =
      key?.project === undefined
        ? null
        : Object.freeze({
            keyId: key.id,
            projectId: key.projectId,
            organizationId: key.project.organizationId,
            environment: key.environment,
            limits: Object.freeze({ ...key.limits }),
          });
    if (this.config.keyCacheTtlMs > 0 && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(hash, { principal, expiresAt: Date.now() + this.config.keyCacheTtlMs });
    }
    return principal;
  }
}
