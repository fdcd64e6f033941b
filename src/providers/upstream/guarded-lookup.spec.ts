import type { LookupAddress, LookupAllOptions, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { AddressPolicy } from './address-policy';
import { createGuardedLookup, type Resolver } from './guarded-lookup';
import { UpstreamBlockedError } from './upstream-blocked.error';

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** Answers from a fixed table, asynchronously like dns.lookup; unknown names fail with ENOTFOUND. */
class FakeResolver {
  readonly calls: Array<{ hostname: string; options: LookupAllOptions }> = [];

  constructor(private readonly answers: Record<string, LookupAddress[]>) {}

  readonly resolve: Resolver = (hostname, options, callback) => {
    this.calls.push({ hostname, options });
    const answer = this.answers[hostname];
    setImmediate(() => {
      if (answer) callback(null, answer);
      else
        callback(
          Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
          [],
        );
    });
  };
}

const answers = {
  'metadata.evil.test': [v4('169.254.169.254')],
  'mapped.evil.test': [v6('::ffff:a9fe:a9fe')],
  'local.test': [v4('127.0.0.1')],
  'public.test': [v4('93.184.215.14'), v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c')],
  'mixed-metadata.test': [v4('93.184.215.14'), v4('169.254.169.254')],
  'mixed-private.test': [v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c'), v4('10.0.0.7')],
  'empty.test': [],
};

type LookupResult = {
  error: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number;
};

function lookup(
  fn: LookupFunction,
  hostname: string,
  options: LookupOptions,
): Promise<LookupResult> {
  return new Promise((resolve) => {
    fn(hostname, options, (error, address, family) => resolve({ error, address, family }));
  });
}

function guarded(policy: { blockPrivate: boolean; allowCidrs: string[] }): {
  fn: LookupFunction;
  resolver: FakeResolver;
} {
  const resolver = new FakeResolver(answers);
  return { fn: createGuardedLookup(new AddressPolicy(policy), resolver.resolve), resolver };
}

const byDefault = { blockPrivate: false, allowCidrs: [] };
const blockPrivate = { blockPrivate: true, allowCidrs: [] };

describe('createGuardedLookup', () => {
  describe.each([
    {
      all: false,
      loopbackAnswer: { address: '127.0.0.1', family: 4 },
      publicAnswer: { address: '93.184.215.14', family: 4 },
    },
    {
      all: true,
      loopbackAnswer: { address: [v4('127.0.0.1')] },
      publicAnswer: { address: answers['public.test'] },
    },
  ])('with all: $all', ({ all, loopbackAnswer, publicAnswer }) => {
    const options = { all };

    it.each([
      ['metadata.evil.test', byDefault, '169.254.169.254 is a link-local/cloud-metadata address'],
      ['mapped.evil.test', byDefault, '(169.254.169.254) is a link-local'],
      ['local.test', blockPrivate, '127.0.0.1 is a loopback address'],
      ['mixed-metadata.test', byDefault, '169.254.169.254'],
      ['mixed-private.test', blockPrivate, '10.0.0.7 is a private address'],
    ])('refuses %s', async (hostname, policy, reason) => {
      const { error, address } = await lookup(guarded(policy).fn, hostname, options);

      expect(error).toBeInstanceOf(UpstreamBlockedError);
      expect(error).toMatchObject({
        status: 403,
        code: 'upstream_address_blocked',
        host: hostname,
        reason: expect.stringContaining(reason) as unknown,
      });
      expect(error?.message).toContain(`'${hostname}'`);
      expect(address).toEqual('');
    });

    it('allows loopback by default', async () => {
      const result = await lookup(guarded(byDefault).fn, 'local.test', options);

      expect(result).toEqual({ error: null, family: undefined, ...loopbackAnswer });
    });

    it('allows loopback with blockPrivate when an allowCidrs range covers it', async () => {
      const { fn } = guarded({ blockPrivate: true, allowCidrs: ['127.0.0.0/8'] });

      await expect(lookup(fn, 'local.test', options)).resolves.toMatchObject({
        error: null,
        ...loopbackAnswer,
      });
    });

    it('returns every address of an allowed answer, or the first one', async () => {
      const result = await lookup(guarded(blockPrivate).fn, 'public.test', options);

      expect(result).toEqual({ error: null, family: undefined, ...publicAnswer });
    });

    it('passes resolver errors through', async () => {
      const { error } = await lookup(guarded(byDefault).fn, 'unknown.test', options);

      expect(error).not.toBeInstanceOf(UpstreamBlockedError);
      expect(error).toMatchObject({ code: 'ENOTFOUND' });
    });

    it('treats an empty answer as not found', async () => {
      const { error } = await lookup(guarded(byDefault).fn, 'empty.test', options);

      expect(error).toMatchObject({ code: 'ENOTFOUND', hostname: 'empty.test' });
    });
  });

  it('tells how to allow private ranges when that is why it refused', async () => {
    const { error } = await lookup(guarded(blockPrivate).fn, 'local.test', {});

    expect(error?.message).toBe(
      "Refused to connect to upstream host 'local.test': 127.0.0.1 is a loopback address. " +
        'Loopback and private addresses are refused because SWITCHYARD_UPSTREAM_BLOCK_PRIVATE is true; ' +
        'allow the range with SWITCHYARD_UPSTREAM_ALLOW_CIDRS (comma-separated CIDRs) or set ' +
        'SWITCHYARD_UPSTREAM_BLOCK_PRIVATE=false.',
    );
    const metadata = await lookup(guarded(blockPrivate).fn, 'metadata.evil.test', {});
    expect(metadata.error?.message).not.toContain('SWITCHYARD_UPSTREAM');
  });

  it('asks the resolver for every address, keeping the caller’s other options', async () => {
    const { fn, resolver } = guarded(byDefault);

    await lookup(fn, 'public.test', { family: 4, hints: 32 });

    expect(resolver.calls).toEqual([
      { hostname: 'public.test', options: { family: 4, hints: 32, all: true } },
    ]);
  });
});
