/**
 * `npm run bench`: what the gateway adds on top of an upstream, measured in one run on this machine.
 *
 * Starts the upstream stub (bench/upstream-stub.ts) and the built gateway (dist/src/main.js, production
 * mode, pinned to one core with taskset where it exists) as child processes, registers an organization,
 * project, gateway key and custom provider through the admin API, warms up, then drives the stub directly
 * and through the gateway with autocannon at 1, 16 and 64 connections, and measures the time to the first
 * stream event with sequential streaming requests. Prints one table and writes bench/results/latest.json.
 *
 * Traffic goes to 127.0.0.1 only. Durations are bounded; children and the temp data dir are removed on
 * exit, on failure and on Ctrl-C. Knobs (environment): BENCH_DURATION (seconds per load run, default 2.5),
 * BENCH_ROUNDS (alternating runs per side and concurrency, pooled; default 4), BENCH_WARMUP
 * (seconds, default 4), BENCH_STREAMS (sequential streams per side, default 100),
 * BENCH_GATEWAY_NODE_ARGS (extra node flags for the gateway, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import autocannon from 'autocannon';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { STREAM_CHUNKS, STUB_MODEL } from './upstream-stub';

const ROOT = resolve(__dirname, '..');
const RESULTS_FILE = join(ROOT, 'bench', 'results', 'latest.json');
const GATEWAY_MAIN = join(ROOT, 'dist', 'src', 'main.js');

const DURATION_S = positiveNumber('BENCH_DURATION', 2.5);
const ROUNDS = Math.round(positiveNumber('BENCH_ROUNDS', 4));
const WARMUP_S = positiveNumber('BENCH_WARMUP', 4);
const STREAMS = Math.round(positiveNumber('BENCH_STREAMS', 100));
const CONCURRENCIES = [1, 16, 64] as const;
const STREAM_WARMUP = 10;
/** A run in which other processes used more than this (% of one core) is left out, and the table warns. */
const QUIET_PERCENT = 10;
const MODEL = 'bench-model';

/** Targets for the hot path (shared/ARCHITECTURE.md, "Hot path"); reported, not enforced. */
const TARGETS = {
  cpuPerRequestMs: 0.3, // at 64 connections
  p50DeltaMs: 0.25, // at 1 connection
  p99DeltaMs: 3, // at 1 connection
  firstEventDeltaMs: 1,
  rssMiB: 150,
};

const CHAT = {
  model: MODEL,
  messages: [
    { role: 'system', content: 'You are a concise assistant.' },
    { role: 'user', content: 'Say hello in one short sentence.' },
  ],
  max_tokens: 32,
  temperature: 0,
};
const CHAT_BODY = JSON.stringify(CHAT);
const STREAM_BODY = JSON.stringify({
  ...CHAT,
  stream: true,
  stream_options: { include_usage: true },
});
// Every stream carries the 20 content chunks, the usage chunk (asked for) and [DONE], direct or not.
const STREAM_EVENTS = STREAM_CHUNKS + 2;

// ---------------------------------------------------------------------------------------------------
// Children and cleanup

const children = new Set<ChildProcess>();
let tempDir: string | null = null;
const gatewayLog: string[] = [];

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!done) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
  }
}

async function cleanup(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
  children.clear();
  removeTempDir();
}

function removeTempDir(): void {
  if (tempDir !== null) {
    rmSync(tempDir, { recursive: true, force: true });
    tempDir = null;
  }
}

// Last resort (an exception that escaped, process.exit elsewhere): nothing may outlive the run.
process.on('exit', () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  removeTempDir();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the benchmark`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function positiveNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

function clockTicksPerSecond(): number {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const value = Number(out.stdout?.trim());
  return out.status === 0 && Number.isInteger(value) && value > 0 ? value : 100;
}

/** utime + stime of the whole process (all threads), in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; everything after its ')' is space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of proc(5)
}

/** Time on CPU of every thread, in ns (a finer cross-check of cpuTicks; threads that exit are lost). */
function schedNs(pid: number): number | null {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const line = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
      total += Number(line.split(' ')[0]);
    }
    return total;
  } catch {
    return null;
  }
}

/** The benchmark's own processes: this one (load generator), the stub and the gateway. */
const ourPids = new Set<number>([process.pid]);
/** How each child ended, when one ends before the benchmark does: said when a measurement fails. */
const childExits = new Map<number, string>();

function watchExit(child: ChildProcess, name: string): void {
  child.once('exit', (code, signal) => {
    childExits.set(
      child.pid!,
      `the ${name} (pid ${child.pid}) exited (${signal ?? `code ${code}`})`,
    );
  });
}

/** Time the hypervisor gave to other guests so far, in clock ticks, from /proc/stat. */
function stealTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  return Number(line.trim().split(/\s+/)[8] ?? 0);
}

/**
 * CPU ticks of every process but ours and the kernel's threads (which mostly carry our own loopback
 * traffic). Children that exited are in their parent's cutime/cstime, so short-lived processes (a test
 * run, a compiler) are counted too.
 */
function otherProcessTicks(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || ourPids.has(Number(entry)) || entry === '2') continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[1] === '2') continue; // a kernel thread
      total += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

interface CpuSample {
  at: number;
  ticks: number;
  ns: number | null;
  /** Ticks spent so far by other processes, and by other guests (steal). */
  others: number;
}

function sampleCpu(pid: number): CpuSample {
  let ticks: number;
  try {
    ticks = cpuTicks(pid);
  } catch (error) {
    throw new Error(childExits.get(pid) ?? `process ${pid} is gone`, { cause: error });
  }
  const ns = schedNs(pid);
  return { at: performance.now(), ticks, ns, others: otherProcessTicks() + stealTicks() };
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

function sortedOf(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

const SIDES = ['direct', 'gateway'] as const;
type Side = (typeof SIDES)[number];

function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// ---------------------------------------------------------------------------------------------------
// Build, pinning, versions

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm run bench` builds first; run directly, this builds when dist is missing or older than src. */
function ensureBuilt(): void {
  const built = existsSync(GATEWAY_MAIN) ? statSync(GATEWAY_MAIN).mtimeMs : 0;
  if (built > 0 && built >= newestMtime(join(ROOT, 'src'))) return;
  console.error(built === 0 ? 'dist is missing: building…' : 'dist is older than src: building…');
  const nest = join(ROOT, 'node_modules', '.bin', 'nest');
  const out = spawnSync(nest, ['build'], { cwd: ROOT, stdio: 'inherit' });
  if (out.status !== 0 || !existsSync(GATEWAY_MAIN)) throw new Error('nest build failed');
}

interface Pinning {
  /** null: taskset unavailable, nothing pinned. */
  gatewayCpus: string | null;
  otherCpus: string | null;
  note: string;
}

function parseCpuList(text: string): number[] {
  const cpusFound: number[] = [];
  for (const part of text.trim().split(',')) {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    for (let cpu = from; cpu <= (to ?? from); cpu++) cpusFound.push(cpu);
  }
  return cpusFound;
}

function planPinning(): Pinning {
  const probe = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    return { gatewayCpus: null, otherCpus: null, note: 'taskset not found: nothing pinned' };
  }
  const allowed = parseCpuList(probe.stdout.slice(probe.stdout.lastIndexOf(':') + 1));
  if (allowed.length === 0)
    return { gatewayCpus: null, otherCpus: null, note: 'no CPU list: nothing pinned' };
  const gateway = allowed.includes(1) ? 1 : allowed[allowed.length - 1]!;
  const others = allowed.filter((cpu) => cpu !== gateway);
  if (others.length === 0) {
    return {
      gatewayCpus: String(gateway),
      otherCpus: null,
      note: `gateway on CPU ${gateway}; one CPU only, so the stub and load generator share it`,
    };
  }
  const list = others.join(',');
  return {
    gatewayCpus: String(gateway),
    otherCpus: list,
    note: `gateway pinned to CPU ${gateway}; stub and load generator on CPU ${list}`,
  };
}

/** Every thread of `pid` to `cpuList`; threads created later inherit it. */
function pin(pid: number, cpuList: string | null): void {
  if (cpuList === null) return;
  const out = spawnSync('taskset', ['-a', '-pc', cpuList, String(pid)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`taskset -a -pc ${cpuList} ${pid} failed: ${out.stderr}`);
}

function packageVersion(name: string, from = ROOT): string {
  const path = require.resolve(`${name}/package.json`, { paths: [from] });
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

function gitRevision(): string | null {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'package-lock.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return `${head.stdout.trim()}${dirty.stdout.trim() === '' ? '' : ' + uncommitted changes in src'}`;
}

// ---------------------------------------------------------------------------------------------------
// Processes under test

async function startStub(otherCpus: string | null): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'upstream-stub.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  watchExit(child, 'stub');
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('the stub did not start within 30 s')), 30_000);
    child.once('message', (message: { port?: number }) => {
      clearTimeout(timer);
      if (typeof message.port === 'number') resolvePort(message.port);
      else reject(new Error('the stub sent no port'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stub exited with ${code}`));
    });
  });
  pin(child.pid!, otherCpus);
  ourPids.add(child.pid!);
  return { child, port };
}

interface Gateway {
  child: ChildProcess;
  pid: number;
  base: string;
  adminToken: string;
}

async function startGateway(pinning: Pinning): Promise<Gateway> {
  tempDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const port = await freePort();
  const adminToken = `bench_root_${randomBytes(24).toString('base64url')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: tempDir,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: tempDir,
    SWITCHYARD_ADMIN_TOKEN: adminToken,
    SWITCHYARD_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const node = [process.execPath, ...nodeArgs, GATEWAY_MAIN];
  const command =
    pinning.gatewayCpus === null ? node : ['taskset', '-c', pinning.gatewayCpus, ...node];
  // taskset execs node, so the child's pid is the gateway's.
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  ourPids.add(child.pid!);
  watchExit(child, 'gateway');
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        gatewayLog.push(line);
        if (gatewayLog.length > 50) gatewayLog.shift();
        process.stderr.write(`[gateway] ${line}\n`);
      }
    });
  }
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `the gateway exited (${signal ?? code})`;
  });

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(exited);
    if (Date.now() > deadline) throw new Error('the gateway was not live within 60 s');
    try {
      const response = await fetch(`${base}/health/live`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return { child, pid: child.pid!, base, adminToken };
}

async function post<T>(url: string, token: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Organization → project → production gateway key → custom OpenAI-format provider on the stub. */
async function register(gateway: Gateway, stubBase: string): Promise<string> {
  const api = `${gateway.base}/api/v1`;
  const token = gateway.adminToken;
  const org = await post<{ id: string }>(`${api}/organizations`, token, { name: 'Bench' });
  const project = await post<{ id: string }>(`${api}/organizations/${org.id}/projects`, token, {
    name: 'Bench',
  });
  const { key } = await post<{ key: string }>(`${api}/projects/${project.id}/api-keys`, token, {
    name: 'bench',
    environment: 'production',
  });
  // With an API key, as most real providers have: each request then opens the sealed key.
  await post(`${api}/projects/${project.id}/providers`, token, {
    name: 'Bench Upstream',
    baseUrl: `${stubBase}/v1`,
    format: 'openai',
    apiKey: `sk-bench-${randomBytes(16).toString('hex')}`,
    models: [{ name: MODEL, upstreamName: STUB_MODEL }],
  });
  return key;
}

/** One request each way before measuring anything: a benchmark of error responses is worthless. */
async function sanityCheck(directUrl: string, gatewayUrl: string, key: string): Promise<void> {
  for (const [url, viaGateway] of [
    [directUrl, false],
    [gatewayUrl, true],
  ] as const) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: CHAT_BODY,
    });
    const text = await response.text();
    if (response.status !== 200 || !text.includes('"usage"') || !text.includes(STUB_MODEL)) {
      throw new Error(`sanity check of ${url} failed: ${response.status} ${text.slice(0, 300)}`);
    }
    if (viaGateway && !response.headers.get('x-switchyard-provider')?.startsWith('custom:')) {
      throw new Error('the gateway answered without x-switchyard-provider: custom:…');
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Measurements

interface LoadRun {
  /** How many runs were pooled into these figures. */
  runs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  reqPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU of the server process (the stub when direct, the gateway otherwise) per request. */
  cpuPerRequestMs: number;
  /** One clock tick spread over the run's requests: the finest step cpuPerRequestMs can take. */
  cpuResolutionMs: number;
  /** The same from /proc/<pid>/task/<tid>/schedstat (ns resolution), when the kernel has it. */
  cpuPerRequestMsSchedstat: number | null;
  /** CPU used by processes other than the benchmark's during the run, in % of one core. */
  otherProcessesCpuPercent: number;
}

/** One autocannon run, as measured: what summarize() pools over the rounds. */
interface LoadSample {
  latencies: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  cpuTicks: number;
  cpuNs: number | null;
  othersTicks: number;
  wallS: number;
}

function load(
  url: string,
  key: string,
  connections: number,
  durationS: number,
  serverPid: number,
): Promise<LoadSample> {
  return new Promise((resolveRun, reject) => {
    const latencies: number[] = [];
    let non2xx = 0;
    const before = sampleCpu(serverPid);
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: CHAT_BODY,
        connections,
        pipelining: 1,
        duration: durationS,
        timeout: 10,
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        let after: CpuSample;
        try {
          after = sampleCpu(serverPid);
        } catch (sampleError) {
          return reject(
            sampleError instanceof Error ? sampleError : new Error(String(sampleError)),
          );
        }
        resolveRun({
          latencies,
          non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          durationS: result.duration,
          cpuTicks: after.ticks - before.ticks,
          cpuNs: before.ns !== null && after.ns !== null ? after.ns - before.ns : null,
          othersTicks: after.others - before.others,
          wallS: (after.at - before.at) / 1000,
        });
      },
    );
    // autocannon's own histogram keeps whole milliseconds; the 'response' event has the exact time.
    instance.on('response', (_client, statusCode: number, _bytes, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode > 299) non2xx++;
    });
  });
}

/** Pools runs: percentiles over all their responses, CPU over all their requests. */
function summarize(samples: LoadSample[], ticksPerSecond: number): LoadRun {
  const sorted = sortedOf(samples.flatMap((sample) => sample.latencies));
  const sum = (pick: (sample: LoadSample) => number): number =>
    samples.reduce((total, sample) => total + pick(sample), 0);
  const requests = sorted.length;
  const durationS = sum((sample) => sample.durationS);
  const ns = samples.every((sample) => sample.cpuNs !== null) ? sum((s) => s.cpuNs ?? 0) : null;
  return {
    runs: samples.length,
    requests,
    non2xx: sum((sample) => sample.non2xx),
    errors: sum((sample) => sample.errors),
    timeouts: sum((sample) => sample.timeouts),
    durationS: round(durationS, 2),
    reqPerSec: requests / durationS,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    cpuPerRequestMs: (sum((sample) => sample.cpuTicks) * 1000) / ticksPerSecond / requests,
    cpuResolutionMs: 1000 / ticksPerSecond / requests,
    cpuPerRequestMsSchedstat: ns === null ? null : ns / 1e6 / requests,
    otherProcessesCpuPercent: round(
      Math.max(
        0,
        (sum((sample) => sample.othersTicks) / ticksPerSecond / sum((s) => s.wallS)) * 100,
      ),
      1,
    ),
  };
}

interface StreamTiming {
  firstEventMs: number;
  totalMs: number;
}

function oneStream(agent: Agent, url: string, key: string): Promise<StreamTiming> {
  return new Promise((resolveTiming, reject) => {
    const started = performance.now();
    const request = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(STREAM_BODY),
        },
      },
      (response) => {
        let firstEventMs = -1;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (firstEventMs < 0 && text.includes('data:'))
            firstEventMs = performance.now() - started;
        });
        response.once('error', reject);
        response.once('end', () => {
          const totalMs = performance.now() - started;
          const events = text.split('data: ').length - 1;
          if (
            response.statusCode !== 200 ||
            events !== STREAM_EVENTS ||
            !text.endsWith('data: [DONE]\n\n')
          ) {
            reject(
              new Error(
                `stream from ${url}: status ${response.statusCode}, ${events} events (expected ${STREAM_EVENTS}): ${text.slice(0, 300)}`,
              ),
            );
            return;
          }
          resolveTiming({ firstEventMs, totalMs });
        });
      },
    );
    request.once('error', reject);
    request.setTimeout(30_000, () => request.destroy(new Error(`stream from ${url} timed out`)));
    request.end(STREAM_BODY);
  });
}

interface StreamRun {
  /** How many batches were pooled into these figures. */
  batches: number;
  streams: number;
  firstEventP50Ms: number;
  firstEventP90Ms: number;
  firstEventP99Ms: number;
  totalP50Ms: number;
  /** Of the server process, per streamed request (STREAM_EVENTS events each). */
  cpuPerStreamMs: number;
  cpuResolutionMs: number;
  cpuPerStreamMsSchedstat: number | null;
  otherProcessesCpuPercent: number;
}

/** One batch of sequential streams, as measured. */
interface StreamSample {
  first: number[];
  total: number[];
  cpuTicks: number;
  cpuNs: number | null;
  othersTicks: number;
  wallS: number;
}

/**
 * `count` sequential streams to `url` on one kept-alive connection, as an SDK client has: no connect in
 * the figure, direct or not.
 */
async function streams(
  url: string,
  key: string,
  count: number,
  serverPid: number,
): Promise<StreamSample> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first: number[] = [];
    const total: number[] = [];
    const before = sampleCpu(serverPid);
    for (let i = 0; i < count; i++) {
      const timing = await oneStream(agent, url, key);
      first.push(timing.firstEventMs);
      total.push(timing.totalMs);
    }
    const after = sampleCpu(serverPid);
    return {
      first,
      total,
      cpuTicks: after.ticks - before.ticks,
      cpuNs: before.ns !== null && after.ns !== null ? after.ns - before.ns : null,
      othersTicks: after.others - before.others,
      wallS: (after.at - before.at) / 1000,
    };
  } finally {
    agent.destroy();
  }
}

function summarizeStreams(samples: StreamSample[], ticksPerSecond: number): StreamRun {
  const sum = (pick: (sample: StreamSample) => number): number =>
    samples.reduce((total, sample) => total + pick(sample), 0);
  const first = sortedOf(samples.flatMap((sample) => sample.first));
  const count = first.length;
  const ns = samples.every((sample) => sample.cpuNs !== null) ? sum((s) => s.cpuNs ?? 0) : null;
  return {
    batches: samples.length,
    streams: count,
    firstEventP50Ms: percentile(first, 50),
    firstEventP90Ms: percentile(first, 90),
    firstEventP99Ms: percentile(first, 99),
    totalP50Ms: percentile(sortedOf(samples.flatMap((sample) => sample.total)), 50),
    cpuPerStreamMs: (sum((sample) => sample.cpuTicks) * 1000) / ticksPerSecond / count,
    cpuResolutionMs: 1000 / ticksPerSecond / count,
    cpuPerStreamMsSchedstat: ns === null ? null : ns / 1e6 / count,
    otherProcessesCpuPercent: round(
      Math.max(
        0,
        (sum((sample) => sample.othersTicks) / ticksPerSecond / sum((s) => s.wallS)) * 100,
      ),
      1,
    ),
  };
}

// ---------------------------------------------------------------------------------------------------
// Report

interface Check {
  name: string;
  value: number;
  target: number;
  unit: string;
  met: boolean;
}

interface Report {
  generatedAt: string;
  node: string;
  fastify: string;
  /** The fastify that @nestjs/platform-fastify actually loads (differs from `fastify` without the override). */
  fastifyUsedByNest: string;
  autocannon: string;
  undici: string;
  gitRevision: string | null;
  host: { cpuModel: string; cpus: number; loadAverage1m: number; pinning: string };
  clockTicksPerSecond: number;
  settings: {
    durationS: number;
    rounds: number;
    warmupS: number;
    /** Per side, in `rounds` batches. */
    streams: number;
    concurrencies: number[];
  };
  load: Array<{
    concurrency: number;
    direct: LoadRun;
    gateway: LoadRun;
    reqPerSecRatio: number;
    p50DeltaMs: number;
    p99DeltaMs: number;
    /** The least CPU per request of one undisturbed gateway run: what this machine allows at best. */
    gatewayFastestRoundCpuPerRequestMs: number;
    /** Every run on its own; `direct` and `gateway` above pool the undisturbed ones. */
    rounds: { direct: LoadRun[]; gateway: LoadRun[] };
  }>;
  firstStreamEvent: {
    direct: StreamRun;
    gateway: StreamRun;
    p50DeltaMs: number;
    eventsPerStream: number;
  };
  gatewayMemory: { rssAfterRunMiB: number; peakRssMiB: number };
  targets: Check[];
}

function fmt(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function signed(value: number, digits = 3): string {
  return `${value >= 0 ? '+' : ''}${fmt(value, digits)}`;
}

function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          rightAligned[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function render(report: Report): string {
  const check = (name: string): Check => report.targets.find((item) => item.name === name)!;
  const targetCells = (name: string): [string, string] => {
    const item = check(name);
    return [`≤ ${item.target} ${item.unit}`, item.met ? 'yes' : 'NO'];
  };
  const rows: string[][] = [['measure', 'direct', 'gateway', 'vs direct', 'target', 'met?']];
  for (const row of report.load) {
    const c = `c=${row.concurrency}`;
    rows.push([
      `${c} req/s`,
      fmt(row.direct.reqPerSec, 0),
      fmt(row.gateway.reqPerSec, 0),
      `×${fmt(row.reqPerSecRatio, 2)}`,
      '',
      '',
    ]);
    rows.push([
      `${c} p50 latency (ms)`,
      fmt(row.direct.p50Ms),
      fmt(row.gateway.p50Ms),
      `${signed(row.p50DeltaMs)} ms`,
      ...(row.concurrency === 1 ? targetCells('Δp50 at c=1') : ['', '']),
    ]);
    rows.push([
      `${c} p99 latency (ms)`,
      fmt(row.direct.p99Ms),
      fmt(row.gateway.p99Ms),
      `${signed(row.p99DeltaMs)} ms`,
      ...(row.concurrency === 1 ? targetCells('Δp99 at c=1') : ['', '']),
    ]);
    rows.push([
      `${c} CPU / request (ms)`,
      fmt(row.direct.cpuPerRequestMs),
      fmt(row.gateway.cpuPerRequestMs),
      `×${fmt(row.gateway.cpuPerRequestMs / row.direct.cpuPerRequestMs, 1)}`,
      ...(row.concurrency === 64 ? targetCells('CPU / request at c=64') : ['', '']),
    ]);
  }
  const s = report.firstStreamEvent;
  rows.push([
    'first stream event p50 (ms)',
    fmt(s.direct.firstEventP50Ms),
    fmt(s.gateway.firstEventP50Ms),
    `${signed(s.p50DeltaMs)} ms`,
    ...targetCells('first stream event Δp50'),
  ]);
  rows.push([
    'first stream event p99 (ms)',
    fmt(s.direct.firstEventP99Ms),
    fmt(s.gateway.firstEventP99Ms),
    `${signed(s.gateway.firstEventP99Ms - s.direct.firstEventP99Ms)} ms`,
    '',
    '',
  ]);
  rows.push([
    `whole stream p50 (ms, ${s.eventsPerStream} events)`,
    fmt(s.direct.totalP50Ms),
    fmt(s.gateway.totalP50Ms),
    `${signed(s.gateway.totalP50Ms - s.direct.totalP50Ms)} ms`,
    '',
    '',
  ]);
  rows.push([
    'CPU / streamed request (ms)',
    fmt(s.direct.cpuPerStreamMs),
    fmt(s.gateway.cpuPerStreamMs),
    `×${fmt(s.gateway.cpuPerStreamMs / s.direct.cpuPerStreamMs, 1)}`,
    '',
    '',
  ]);
  rows.push([
    'gateway RSS after run (MiB)',
    '',
    fmt(report.gatewayMemory.rssAfterRunMiB, 1),
    '',
    ...targetCells('RSS after run'),
  ]);
  rows.push(['gateway peak RSS (MiB)', '', fmt(report.gatewayMemory.peakRssMiB, 1), '', '', '']);

  const tick = 1000 / report.clockTicksPerSecond;
  const resolution = report.load
    .map((row) => `c=${row.concurrency} ±${fmt(row.gateway.cpuResolutionMs, 4)}`)
    .join(', ');
  const sched = report.load
    .map((row) => `c=${row.concurrency} ${fmt(row.gateway.cpuPerRequestMsSchedstat ?? NaN)}`)
    .join(', ');
  const fastest = report.load
    .map((row) => `c=${row.concurrency} ${fmt(row.gatewayFastestRoundCpuPerRequestMs)}`)
    .join(', ');
  const busy: Array<[string, number]> = [
    ...report.load.flatMap((row): Array<[string, number]> => [
      [`c=${row.concurrency} direct`, row.direct.otherProcessesCpuPercent],
      [`c=${row.concurrency} gateway`, row.gateway.otherProcessesCpuPercent],
    ]),
    ['streams direct', s.direct.otherProcessesCpuPercent],
    ['streams gateway', s.gateway.otherProcessesCpuPercent],
  ];
  const [busiestRun, busiest] = busy.reduce((max, item) => (item[1] > max[1] ? item : max));
  const runs = report.load.reduce((sum, row) => sum + 2 * row.rounds.direct.length, 0);
  const counted = report.load.reduce((sum, row) => sum + row.direct.runs + row.gateway.runs, 0);
  const left = runs - counted;
  const batches = 2 * report.settings.rounds;
  const batchesLeft = batches - s.direct.batches - s.gateway.batches;
  const quiet =
    busiest <= QUIET_PERCENT
      ? `The machine was quiet: other processes used at most ${fmt(busiest, 1)}% of a core during the runs counted (left out as disturbed: ${left} of ${runs} load runs, ${batchesLeft} of ${batches} stream batches).`
      : `WARNING: other processes used ${fmt(busiest, 1)}% of a core during ${busiestRun}; these figures are disturbed, run again on a quiet machine.`;
  const errors = report.load.reduce(
    (sum, row) => sum + row.gateway.non2xx + row.gateway.errors + row.gateway.timeouts,
    0,
  );
  return [
    `Switchyard benchmark ${report.generatedAt}${report.gitRevision ? ` at ${report.gitRevision}` : ''}`,
    `node ${report.node} · fastify ${report.fastify} (loaded by @nestjs/platform-fastify: ${report.fastifyUsedByNest}) · undici ${report.undici} · autocannon ${report.autocannon}`,
    `${report.host.cpus} × ${report.host.cpuModel}, load ${fmt(report.host.loadAverage1m, 2)} at start · ${report.host.pinning}`,
    `after ${report.settings.warmupS} s of warm-up: ${report.settings.rounds} rounds of ${report.settings.durationS} s per side and concurrency, pooled (runs another process disturbed left out); ${report.settings.streams} sequential streams per side, in ${report.settings.rounds} batches`,
    '',
    table(rows, [false, true, true, true, false, false]),
    '',
    `direct = the stub on its own; "CPU / request" in that column is the stub's. CPU is utime+stime from /proc/<pid>/stat:`,
    `  1 tick = ${fmt(tick, 0)} ms, so gateway CPU/request is resolved to ${resolution} ms; schedstat (ns) cross-check: ${sched} ms.`,
    `  Gateway CPU/request in its fastest round: ${fastest} ms (the machine's speed drifts; pooled figures above).`,
    `Latencies are autocannon's per-response times (exact, not its whole-ms histogram). Gateway errors/non-2xx/timeouts: ${errors}.`,
    quiet,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  ensureBuilt();
  const ticksPerSecond = clockTicksPerSecond();
  const pinning = planPinning();
  pin(process.pid, pinning.otherCpus);
  const loadAverage1m = loadavg()[0] ?? NaN;

  const stub = await startStub(pinning.otherCpus);
  const stubBase = `http://127.0.0.1:${stub.port}`;
  const gateway = await startGateway(pinning);
  const key = await register(gateway, stubBase);
  const directUrl = `${stubBase}/v1/chat/completions`;
  const gatewayUrl = `${gateway.base}/v1/chat/completions`;
  await sanityCheck(directUrl, gatewayUrl, key);

  console.error(`warming up (${WARMUP_S} s)…`);
  // Streams first: JSON load right before the measured runs leaves the JIT on the path they take.
  await streams(directUrl, key, STREAM_WARMUP, stub.child.pid!);
  await streams(gatewayUrl, key, STREAM_WARMUP, gateway.pid);
  await load(directUrl, key, 16, 1, stub.child.pid!);
  await load(gatewayUrl, key, 16, WARMUP_S, gateway.pid);

  // Rounds outside, concurrencies inside: this machine's speed drifts over tens of seconds, and each
  // concurrency should see the same mix of it.
  const samples = new Map<number, Record<Side, LoadSample[]>>(
    CONCURRENCIES.map((connections) => [connections, { direct: [], gateway: [] }]),
  );
  for (let round = 1; round <= ROUNDS; round++) {
    console.error(
      `round ${round} of ${ROUNDS}: c=${CONCURRENCIES.join(', ')}, direct then through the gateway, ${DURATION_S} s each…`,
    );
    for (const connections of CONCURRENCIES) {
      for (const side of SIDES) {
        const sample = await load(
          side === 'direct' ? directUrl : gatewayUrl,
          key,
          connections,
          DURATION_S,
          side === 'direct' ? stub.child.pid! : gateway.pid,
        );
        if (sample.latencies.length === 0 || sample.non2xx > 0 || sample.errors > 0) {
          throw new Error(
            `c=${connections} ${side}: ${sample.latencies.length} responses, ${sample.non2xx} non-2xx, ${sample.errors} errors`,
          );
        }
        samples.get(connections)![side].push(sample);
      }
    }
  }

  const loadRows: Report['load'] = CONCURRENCIES.map((connections) => {
    const runs = samples.get(connections)!;
    const rounds = {
      direct: runs.direct.map((sample) => summarize([sample], ticksPerSecond)),
      gateway: runs.gateway.map((sample) => summarize([sample], ticksPerSecond)),
    };
    // Runs that another process disturbed are left out, unless every run was disturbed.
    const quietIndexes = (side: Side): number[] => {
      const quiet = rounds[side]
        .map((run, index) => (run.otherProcessesCpuPercent <= QUIET_PERCENT ? index : -1))
        .filter((index) => index >= 0);
      return quiet.length > 0 ? quiet : rounds[side].map((_, index) => index);
    };
    const pool = (side: Side): LoadRun =>
      summarize(
        quietIndexes(side).map((index) => runs[side][index]!),
        ticksPerSecond,
      );
    const direct = pool('direct');
    const viaGateway = pool('gateway');
    return {
      concurrency: connections,
      direct,
      gateway: viaGateway,
      reqPerSecRatio: viaGateway.reqPerSec / direct.reqPerSec,
      p50DeltaMs: viaGateway.p50Ms - direct.p50Ms,
      p99DeltaMs: viaGateway.p99Ms - direct.p99Ms,
      gatewayFastestRoundCpuPerRequestMs: Math.min(
        ...quietIndexes('gateway').map((index) => rounds.gateway[index]!.cpuPerRequestMs),
      ),
      rounds,
    };
  });

  // Batches alternate between the sides, like the load runs, and disturbed ones are left out the same way.
  const batch = Math.ceil(STREAMS / ROUNDS);
  console.error(`first stream event: ${ROUNDS} × ${batch} sequential streams each way…`);
  const streamSamples: Record<Side, StreamSample[]> = { direct: [], gateway: [] };
  for (let round = 0; round < ROUNDS; round++) {
    streamSamples.direct.push(await streams(directUrl, key, batch, stub.child.pid!));
    streamSamples.gateway.push(await streams(gatewayUrl, key, batch, gateway.pid));
  }
  const poolStreams = (side: Side): StreamRun => {
    const all = streamSamples[side];
    const quiet = all.filter(
      (sample) =>
        summarizeStreams([sample], ticksPerSecond).otherProcessesCpuPercent <= QUIET_PERCENT,
    );
    return summarizeStreams(quiet.length > 0 ? quiet : all, ticksPerSecond);
  };
  const directStreams = poolStreams('direct');
  const gatewayStreams = poolStreams('gateway');

  const rssAfterRunMiB = statusKiB(gateway.pid, 'VmRSS') / 1024;
  const peakRssMiB = statusKiB(gateway.pid, 'VmHWM') / 1024;

  const c1 = loadRows.find((row) => row.concurrency === 1)!;
  const c64 = loadRows.find((row) => row.concurrency === 64)!;
  const firstEventDelta = gatewayStreams.firstEventP50Ms - directStreams.firstEventP50Ms;
  const targets: Check[] = [
    ['CPU / request at c=64', c64.gateway.cpuPerRequestMs, TARGETS.cpuPerRequestMs, 'ms'] as const,
    ['Δp50 at c=1', c1.p50DeltaMs, TARGETS.p50DeltaMs, 'ms'] as const,
    ['Δp99 at c=1', c1.p99DeltaMs, TARGETS.p99DeltaMs, 'ms'] as const,
    ['first stream event Δp50', firstEventDelta, TARGETS.firstEventDeltaMs, 'ms'] as const,
    ['RSS after run', rssAfterRunMiB, TARGETS.rssMiB, 'MiB'] as const,
  ].map(([name, value, target, unit]) => ({
    name,
    value: round(value, 4),
    target,
    unit,
    met: value <= target,
  }));

  const report: Report = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    fastify: packageVersion('fastify'),
    fastifyUsedByNest: packageVersion(
      'fastify',
      resolve(require.resolve('@nestjs/platform-fastify', { paths: [ROOT] }), '..'),
    ),
    autocannon: packageVersion('autocannon'),
    undici: packageVersion('undici'),
    gitRevision: gitRevision(),
    host: {
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      cpus: cpus().length,
      loadAverage1m: round(loadAverage1m, 2),
      pinning: pinning.note,
    },
    clockTicksPerSecond: ticksPerSecond,
    settings: {
      durationS: DURATION_S,
      rounds: ROUNDS,
      warmupS: WARMUP_S,
      streams: batch * ROUNDS,
      concurrencies: [...CONCURRENCIES],
    },
    load: loadRows,
    firstStreamEvent: {
      direct: directStreams,
      gateway: gatewayStreams,
      p50DeltaMs: firstEventDelta,
      eventsPerStream: STREAM_EVENTS,
    },
    gatewayMemory: { rssAfterRunMiB: round(rssAfterRunMiB, 1), peakRssMiB: round(peakRssMiB, 1) },
    targets,
  };

  console.log(`\n${render(report)}\n`);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written to ${relative(process.cwd(), RESULTS_FILE)}`);
}

void main()
  .catch((error: unknown) => {
    console.error('benchmark failed:', error instanceof Error ? error.message : error);
    for (const exit of childExits.values()) console.error(exit);
    if (gatewayLog.length > 0) console.error(`last gateway output:\n${gatewayLog.join('\n')}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    // fetch's pooled sockets would otherwise keep the process alive for a few seconds.
    process.exit(process.exitCode ?? 0);
  });
