import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent, request, type Dispatcher } from 'undici';
import { InvalidRequestError } from '../../common/errors/api-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { AddressPolicy, type AddressVerdict } from './address-policy';
import { createGuardedLookup } from './guarded-lookup';
import { UpstreamBlockedError } from './upstream-blocked.error';

export interface UpstreamRequestOptions {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Limit on the wait for the response headers, and on each wait for the next body chunk. */
  timeoutMs: number;
  signal?: AbortSignal;
}

// How long an idle socket is kept when the server does not announce its own limit (`Keep-Alive: timeout=N`,
// which undici honours). It must stay under the 5 s that servers such as uvicorn (vLLM, LiteLLM) close idle
// connections after without saying so, or a request may be written to a socket the server is closing.
const KEEP_ALIVE_TIMEOUT_MS = 4_000;

/**
 * The one way to reach an upstream: a pooled keep-alive agent whose connections only go to addresses the
 * AddressPolicy allows. Redirects are not followed (undici's default), so a 3xx cannot lead elsewhere.
 */
@Injectable()
export class UpstreamClient implements OnModuleDestroy {
  private readonly policy: AddressPolicy;
  private readonly agent: Agent;
  private readonly hostVerdicts = new Map<string, AddressVerdict>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.policy = new AddressPolicy(config.upstream);
    this.agent = new Agent({
      connect: {
        timeout: config.upstreamTimeouts.connectMs,
        lookup: createGuardedLookup(this.policy),
      },
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    });
  }

  async request(
    url: string | URL,
    options: UpstreamRequestOptions,
  ): Promise<Dispatcher.ResponseData> {
    const target = typeof url === 'string' ? parseUrl(url) : url;
    this.assertAllowed(target);
    try {
      return await request(target, {
        dispatcher: this.agent,
        method: options.method,
        headers: options.headers,
        body: options.body,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: options.signal,
      });
    } catch (error) {
      throw findBlocked(error) ?? error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }

  // A literal IP host never reaches the guarded lookup (net.connect skips lookup for literals), so check it here.
  private assertAllowed(url: URL): void {
    const host = url.hostname;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw blocked(host, `${url.protocol} URLs are not allowed, only http: and https:`);
    }
    if (url.username !== '' || url.password !== '') {
      throw blocked(host, 'credentials in the URL are not allowed; send them in a header');
    }
    let verdict = this.hostVerdicts.get(host);
    if (verdict === undefined) {
      verdict = this.policy.checkHost(host);
      // The policy is fixed for the process and hosts are few (one per provider): remember the answer.
      if (this.hostVerdicts.size < 10_000) this.hostVerdicts.set(host, verdict);
    }
    if (!verdict.allowed) throw new UpstreamBlockedError(host, verdict);
  }
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new InvalidRequestError(
      'The upstream URL is not a valid absolute URL',
      null,
      'invalid_upstream_url',
    );
  }
}

function blocked(host: string, reason: string): UpstreamBlockedError {
  return new UpstreamBlockedError(host, { allowed: false, reason, blockedAsPrivate: false });
}

// The guarded lookup's error normally arrives as is; look through `cause` in case undici ever wraps it.
function findBlocked(error: unknown): UpstreamBlockedError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof UpstreamBlockedError) return current;
    current = current.cause;
  }
  return undefined;
}
