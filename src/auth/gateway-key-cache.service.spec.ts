import { FindOperator, type FindOneOptions, type Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { ProjectEntity } from '../tenancy/entities/project.entity';
import type { ApiKeyEntity, ApiKeyLimits } from './entities/api-key.entity';
import { GatewayKeyCache } from './gateway-key-cache.service';
import { hashKey, issueKey, type KeyEnvironment } from './key-format';

/**
 * Just enough of Repository<ApiKeyEntity> for the cache: findOne honours `keyHash`,
 * `revokedAt: IsNull()` and `relations.project`. Any other repository method throws.
 */
class FakeApiKeyRepository {
  readonly rows = new Map<string, ApiKeyEntity>();
  findOneCalls = 0;
  private gate: Promise<void> | null = null;
  private failures = 0;

  addKey(
    options: {
      projectId?: string;
      organizationId?: string;
      environment?: KeyEnvironment;
      limits?: ApiKeyLimits | null;
    } = {},
  ): { secret: string; row: ApiKeyEntity } {
    const issued = issueKey('csk_');
    const projectId = options.projectId ?? 'prj_1';
    const row = {
      id: `key_${this.rows.size + 1}`,
      projectId,
      project: {
        id: projectId,
        organizationId: options.organizationId ?? 'org_1',
      } as ProjectEntity,
      environment: options.environment ?? 'production',
      name: 'test key',
      keyHash: issued.hash,
      lastFour: issued.lastFour,
      limits: options.limits === undefined ? { requestsPerMinute: 60 } : options.limits,
      createdAt: new Date(),
      revokedAt: null,
    } satisfies ApiKeyEntity;
    this.rows.set(row.keyHash, row);
    return { secret: issued.secret, row };
  }

  revoke(row: ApiKeyEntity): void {
    row.revokedAt = new Date();
  }

  /** Queries wait until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  failNextQuery(): void {
    this.failures++;
  }

  async findOne(options: FindOneOptions<ApiKeyEntity>): Promise<ApiKeyEntity | null> {
    this.findOneCalls++;
    const { keyHash, revokedAt } = options.where as { keyHash: string; revokedAt?: unknown };
    const activeOnly = revokedAt instanceof FindOperator && revokedAt.type === 'isNull';
    // Read the row now, as a database would, even if the answer is delivered later.
    const row = this.rows.get(keyHash);
    const answer =
      row === undefined || (activeOnly && row.revokedAt !== null)
        ? null
        : {
            ...row,
            project: (options.relations as { project?: boolean })?.project
              ? row.project
              : undefined,
          };
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('connection reset');
    }
    return answer;
  }
}

function strictRepository(fake: FakeApiKeyRepository): Repository<ApiKeyEntity> {
  return new Proxy(fake, {
    get(target, property, receiver) {
      if (property in target) return Reflect.get(target, property, receiver) as unknown;
      throw new Error(`Repository.${String(property)} is not faked`);
    },
  }) as unknown as Repository<ApiKeyEntity>;
}

describe('GatewayKeyCache', () => {
  const ttlMs = 10_000;
  let repository: FakeApiKeyRepository;
  let cache: GatewayKeyCache;

  const makeCache = (keyCacheTtlMs: number): GatewayKeyCache =>
    new GatewayKeyCache(strictRepository(repository), { keyCacheTtlMs } as AppConfig);

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), doNotFake: ['nextTick'] });
    repository = new FakeApiKeyRepository();
    cache = makeCache(ttlMs);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves an active key to a frozen principal', async () => {
    const { secret } = repository.addKey({
      projectId: 'prj_a',
      organizationId: 'org_a',
      environment: 'test',
      limits: { requestsPerMinute: 5, tokensPerMinute: 1000 },
    });

    const principal = await cache.resolve(secret);

    expect(principal).toEqual({
      keyId: 'key_1',
      projectId: 'prj_a',
      organizationId: 'org_a',
      environment: 'test',
      limits: { requestsPerMinute: 5, tokensPerMinute: 1000 },
    });
    expect(Object.isFrozen(principal)).toBe(true);
    expect(Object.isFrozen(principal?.limits)).toBe(true);
  });

  it('gives a key without limits empty limits', async () => {
    const { secret } = repository.addKey({ limits: null });

    await expect(cache.resolve(secret)).resolves.toMatchObject({ limits: {} });
  });

  it('resolves a revoked key to null', async () => {
    const { secret, row } = repository.addKey();
    repository.revoke(row);

    await expect(cache.resolve(secret)).resolves.toBeNull();
  });

  it('answers a second resolve within the TTL from memory, synchronously', async () => {
    const { secret } = repository.addKey();
    const first = await cache.resolve(secret);
    jest.advanceTimersByTime(ttlMs - 1);

    const second = cache.resolve(secret);

    expect(second).toBe(first);
    expect(repository.findOneCalls).toBe(1);
  });

  it('queries again once the TTL has passed', async () => {
    const { secret } = repository.addKey();
    await cache.resolve(secret);
    jest.advanceTimersByTime(ttlMs);

    await expect(cache.resolve(secret)).resolves.toMatchObject({ keyId: 'key_1' });
    expect(repository.findOneCalls).toBe(2);
  });

  it('keeps serving a key revoked elsewhere until its entry expires', async () => {
    const { secret, row } = repository.addKey();
    await cache.resolve(secret);
    repository.revoke(row);

    expect(cache.resolve(secret)).toMatchObject({ keyId: row.id });
    jest.advanceTimersByTime(ttlMs);
    await expect(cache.resolve(secret)).resolves.toBeNull();
  });

  it('caches unknown keys too', async () => {
    const unknown = issueKey('csk_').secret;

    await expect(cache.resolve(unknown)).resolves.toBeNull();
    expect(cache.resolve(unknown)).toBeNull();
    expect(repository.findOneCalls).toBe(1);
  });

  it('shares one query between concurrent resolves of the same unknown key', async () => {
    const unknown = issueKey('csk_').secret;

    const answers = await Promise.all([
      cache.resolve(unknown),
      cache.resolve(unknown),
      cache.resolve(unknown),
    ]);

    expect(answers).toEqual([null, null, null]);
    expect(repository.findOneCalls).toBe(1);
  });

  it('runs one query per key for concurrent resolves of different keys', async () => {
    const a = repository.addKey().secret;
    const b = repository.addKey().secret;

    const [principalA, principalB] = await Promise.all([cache.resolve(a), cache.resolve(b)]);

    expect(principalA?.keyId).toBe('key_1');
    expect(principalB?.keyId).toBe('key_2');
    expect(repository.findOneCalls).toBe(2);
  });

  it('does not cache a failed query, so the next resolve retries', async () => {
    const { secret } = repository.addKey();
    repository.failNextQuery();

    await expect(cache.resolve(secret)).rejects.toThrow('connection reset');
    await expect(cache.resolve(secret)).resolves.toMatchObject({ keyId: 'key_1' });
    expect(repository.findOneCalls).toBe(2);
  });

  describe('forgetKey', () => {
    it('drops the entry, so a revocation is seen at once', async () => {
      const { secret, row } = repository.addKey();
      await cache.resolve(secret);
      repository.revoke(row);

      cache.forgetKey(row.keyHash);

      await expect(cache.resolve(secret)).resolves.toBeNull();
      expect(repository.findOneCalls).toBe(2);
    });

    it('leaves other keys cached', async () => {
      const forgotten = repository.addKey();
      const kept = repository.addKey();
      await cache.resolve(forgotten.secret);
      await cache.resolve(kept.secret);

      cache.forgetKey(forgotten.row.keyHash);

      expect(cache.resolve(kept.secret)).toMatchObject({ keyId: kept.row.id });
      expect(repository.findOneCalls).toBe(2);
    });

    it('does not cache the answer of a lookup that was running when the key was revoked', async () => {
      const { secret, row } = repository.addKey();
      const release = repository.hold();
      const inFlight = cache.resolve(secret);
      repository.revoke(row);
      cache.forgetKey(hashKey(secret));
      release();

      // That request read the row before the revocation; it may pass, later ones may not.
      await expect(inFlight).resolves.not.toBeNull();
      await expect(cache.resolve(secret)).resolves.toBeNull();
      expect(repository.findOneCalls).toBe(2);
    });

    it('does not hand a resolve that starts after the revocation the running lookup', async () => {
      const { secret, row } = repository.addKey();
      const release = repository.hold();
      const before = cache.resolve(secret);
      repository.revoke(row);
      cache.forgetKey(row.keyHash);
      const after = cache.resolve(secret);
      release();

      await expect(before).resolves.not.toBeNull();
      await expect(after).resolves.toBeNull();
    });
  });

  describe('forgetProject', () => {
    it("drops every key of the project and only that project's keys", async () => {
      const a1 = repository.addKey({ projectId: 'prj_a' });
      const a2 = repository.addKey({ projectId: 'prj_a' });
      const b1 = repository.addKey({ projectId: 'prj_b' });
      for (const key of [a1, a2, b1]) await cache.resolve(key.secret);

      cache.forgetProject('prj_a');

      expect(cache.resolve(b1.secret)).toMatchObject({ projectId: 'prj_b' });
      expect(repository.findOneCalls).toBe(3);
      await cache.resolve(a1.secret);
      await cache.resolve(a2.secret);
      expect(repository.findOneCalls).toBe(5);
    });

    it('does not cache the answer of a lookup that was running when the project was deleted', async () => {
      const { secret } = repository.addKey({ projectId: 'prj_a' });
      const release = repository.hold();
      const inFlight = cache.resolve(secret);
      repository.rows.clear();
      cache.forgetProject('prj_a');
      release();

      await expect(inFlight).resolves.not.toBeNull();
      await expect(cache.resolve(secret)).resolves.toBeNull();
    });
  });

  describe('with a TTL of 0', () => {
    beforeEach(() => {
      cache = makeCache(0);
    });

    it('queries the repository on every resolve', async () => {
      const { secret } = repository.addKey();
      const unknown = issueKey('csk_').secret;

      await cache.resolve(secret);
      await cache.resolve(secret);
      await cache.resolve(unknown);
      await cache.resolve(unknown);

      expect(repository.findOneCalls).toBe(4);
    });

    it('still shares one query between concurrent resolves', async () => {
      const { secret } = repository.addKey();

      await Promise.all([cache.resolve(secret), cache.resolve(secret)]);

      expect(repository.findOneCalls).toBe(1);
    });
  });

  it('evicts the oldest entry once 50 000 keys are cached', async () => {
    const oldest = issueKey('csk_').secret;
    await cache.resolve(oldest);
    const others = Array.from({ length: 50_000 }, (_, i) => `csk_unknown_${i}`);
    for (const secret of others) await cache.resolve(secret);
    expect(repository.findOneCalls).toBe(50_001);

    expect(cache.resolve(others[others.length - 1]!)).toBeNull();
    expect(repository.findOneCalls).toBe(50_001);
    await cache.resolve(oldest);
    expect(repository.findOneCalls).toBe(50_002);
  });
});
