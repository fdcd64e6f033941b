import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { InvalidRequestError } from '../../common/errors/api-error';
import type { AppConfig } from '../../config/app-config';
import { UpstreamBlockedError } from './upstream-blocked.error';
import { UpstreamClient } from './upstream-client.service';

/** A loopback upstream that records what reaches it. */
class TestUpstream {
  readonly requests: Array<{ method: string; url: string }> = [];
  connections = 0;
  port = 0;
  private readonly server: Server = createServer((req, res) => this.handle(req, res));

  async start(): Promise<void> {
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.requests.length = 0;
    this.connections = 0;
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      switch (req.url ?? '') {
        case '/echo':
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              method: req.method,
              contentType: req.headers['content-type'],
              body: Buffer.concat(chunks).toString(),
            }),
          );
          return;
        case '/redirect':
          res.writeHead(302, { location: this.url('/final') }).end();
          return;
        case '/hang':
          return; // never answers
        case '/stall-body':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('partial'); // and never ends
          return;
        default:
          res.writeHead(200).end('ok');
      }
    });
  }
}

const upstream = new TestUpstream();
const clients: UpstreamClient[] = [];
let connectHosts: string[] = [];

function client(upstreamConfig: AppConfig['upstream']): UpstreamClient {
  const created = new UpstreamClient({
    upstream: upstreamConfig,
    upstreamTimeouts: { connectMs: 10_000, firstByteMs: 120_000 },
  } as AppConfig);
  clients.push(created);
  return created;
}

const byDefault: AppConfig['upstream'] = { blockPrivate: false, allowCidrs: [] };
const blockPrivate: AppConfig['upstream'] = { blockPrivate: true, allowCidrs: [] };

beforeAll(() => upstream.start());
afterAll(() => upstream.stop());

// Every socket undici opens goes through net.connect: record the hosts, and make sure nothing in this file can
// ever open a connection to anything but the loopback test server, even if the guard is broken.
const realConnect = net.connect;
beforeEach(() => {
  upstream.reset();
  connectHosts = [];
  jest.spyOn(net, 'connect').mockImplementation(((options: net.NetConnectOpts) => {
    const host = 'host' in options ? String(options.host) : 'a local socket';
    connectHosts.push(host);
    if (host !== '127.0.0.1' && host !== 'localhost') {
      throw new Error(`test tripwire: connection to ${host} attempted`);
    }
    return realConnect(options);
  }) as typeof net.connect);
});
afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(clients.splice(0).map((created) => created.onModuleDestroy()));
});

describe('UpstreamClient', () => {
  it('sends the request to the upstream and returns its response', async () => {
    const response = await client(byDefault).request(upstream.url('/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":"m"}',
      timeoutMs: 5_000,
    });

    expect(response.statusCode).toBe(200);
    await expect(response.body.json()).resolves.toEqual({
      method: 'POST',
      contentType: 'application/json',
      body: '{"model":"m"}',
    });
    expect(connectHosts).toEqual(['127.0.0.1']);
  });

  it('accepts a URL object', async () => {
    const response = await client(byDefault).request(new URL(upstream.url('/')), {
      method: 'GET',
      timeoutMs: 5_000,
    });

    await expect(response.body.text()).resolves.toBe('ok');
  });

  it('keeps connections alive and reuses them', async () => {
    const upstreamClient = client(byDefault);
    for (let i = 0; i < 6; i++) {
      const response = await upstreamClient.request(upstream.url('/'), {
        method: 'GET',
        timeoutMs: 5_000,
      });
      await response.body.dump();
    }

    expect(upstream.requests).toHaveLength(6);
    // Not exactly 1: undici may open a second socket when the next request comes before the first is released.
    expect(upstream.connections).toBeLessThanOrEqual(2);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'link-local/cloud-metadata'],
    ['http://[::ffff:169.254.169.254]/', '(169.254.169.254) is a link-local'],
    ['http://[::a9fe:a9fe]/', '169.254.169.254'],
    ['http://[64:ff9b::a9fe:a9fe]/', '169.254.169.254'],
    ['http://2852039166/', '169.254.169.254 is a link-local'],
    ['http://0251.0376.0251.0376/', '169.254.169.254'],
    ['http://0xa9fea9fe/', '169.254.169.254'],
    ['http://169.254.43518/', '169.254.169.254'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'cloud metadata hostname'],
    ['http://METADATA.GOOG./', 'cloud metadata hostname'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
  ])('refuses %s before connecting', async (url, reason) => {
    const request = client(byDefault).request(url, { method: 'GET', timeoutMs: 5_000 });

    await expect(request).rejects.toBeInstanceOf(UpstreamBlockedError);
    await expect(request).rejects.toMatchObject({
      status: 403,
      type: 'permission_error',
      code: 'upstream_address_blocked',
      reason: expect.stringContaining(reason) as unknown,
    });
    expect(connectHosts).toEqual([]);
  });

  it.each([
    ['ftp://127.0.0.1/file', 'ftp: URLs are not allowed'],
    ['file:///etc/passwd', 'file: URLs are not allowed'],
    ['http://user:pass@127.0.0.1/', 'credentials in the URL are not allowed'],
    ['http://user@127.0.0.1/', 'credentials in the URL are not allowed'],
  ])('refuses %s before connecting', async (url, reason) => {
    const request = client(byDefault).request(url, { method: 'GET', timeoutMs: 5_000 });

    await expect(request).rejects.toBeInstanceOf(UpstreamBlockedError);
    await expect(request).rejects.toMatchObject({
      reason: expect.stringContaining(reason) as unknown,
    });
    await expect(request).rejects.not.toMatchObject({
      message: expect.stringContaining('pass') as unknown,
    });
    expect(connectHosts).toEqual([]);
  });

  it('rejects a string that is not a URL', async () => {
    await expect(
      client(byDefault).request('not a url', { method: 'GET', timeoutMs: 5_000 }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    expect(connectHosts).toEqual([]);
  });

  describe('with blockPrivate', () => {
    it('refuses a loopback literal before connecting, naming the settings that allow it', async () => {
      const request = client(blockPrivate).request(upstream.url('/'), {
        method: 'GET',
        timeoutMs: 5_000,
      });

      await expect(request).rejects.toBeInstanceOf(UpstreamBlockedError);
      await expect(request).rejects.toMatchObject({
        message: expect.stringContaining('SWITCHYARD_UPSTREAM_ALLOW_CIDRS') as unknown,
      });
      expect(connectHosts).toEqual([]);
    });

    it('refuses a name that resolves to loopback at connect time, before any TCP connection', async () => {
      const request = client(blockPrivate).request(upstream.url('/', 'localhost'), {
        method: 'GET',
        timeoutMs: 5_000,
      });

      await expect(request).rejects.toBeInstanceOf(UpstreamBlockedError);
      await expect(request).rejects.toMatchObject({
        host: 'localhost',
        reason: expect.stringMatching(/^(127\.0\.0\.1|::1) is a loopback address$/) as unknown,
      });
      expect(connectHosts).toEqual(['localhost']); // the socket was created, its lookup refused
      expect(upstream.connections).toBe(0);
    });

    it('allows a loopback literal covered by allowCidrs', async () => {
      const upstreamClient = client({ blockPrivate: true, allowCidrs: ['127.0.0.0/8'] });
      const response = await upstreamClient.request(upstream.url('/'), {
        method: 'GET',
        timeoutMs: 5_000,
      });

      expect(response.statusCode).toBe(200);
      await response.body.dump();
    });

    it('allows a name that resolves to loopback covered by allowCidrs', async () => {
      // Where localhost also resolves to ::1, that answer must be allowlisted too: one refused answer refuses all.
      const upstreamClient = client({ blockPrivate: true, allowCidrs: ['127.0.0.0/8', '::1/128'] });
      const response = await upstreamClient.request(upstream.url('/', 'localhost'), {
        method: 'GET',
        timeoutMs: 5_000,
      });

      expect(response.statusCode).toBe(200);
      await response.body.dump();
      expect(upstream.requests).toEqual([{ method: 'GET', url: '/' }]);
    });
  });

  it('returns a redirect as is and does not follow it', async () => {
    const response = await client(byDefault).request(upstream.url('/redirect'), {
      method: 'GET',
      timeoutMs: 5_000,
    });
    await response.body.dump();

    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(upstream.url('/final'));
    expect(upstream.requests.map((seen) => seen.url)).toEqual(['/redirect']);
  });

  it('gives up when the upstream sends no response headers within timeoutMs', async () => {
    const started = Date.now();

    await expect(
      client(byDefault).request(upstream.url('/hang'), { method: 'GET', timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up when the response body stalls for timeoutMs', async () => {
    const response = await client(byDefault).request(upstream.url('/stall-body'), {
      method: 'GET',
      timeoutMs: 200,
    });

    await expect(response.body.text()).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const request = client(byDefault).request(upstream.url('/hang'), {
      method: 'GET',
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);

    await expect(request).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses requests once the module is destroyed', async () => {
    const upstreamClient = new UpstreamClient({
      upstream: byDefault,
      upstreamTimeouts: { connectMs: 10_000, firstByteMs: 120_000 },
    } as AppConfig);
    await upstreamClient.onModuleDestroy();

    await expect(
      upstreamClient.request(upstream.url('/'), { method: 'GET', timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'UND_ERR_DESTROYED' });
    expect(upstream.requests).toEqual([]);
  });
});
