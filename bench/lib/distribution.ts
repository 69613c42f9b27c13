/**
 * A plain Docker Distribution registry (Debian's docker-registry 2.8) over HTTPS, without auth, for the
 * push scenario: `reset()` restarts it with empty storage on a new port (a new port also keeps
 * skopeo's blob-info cache from proposing mounts from an earlier round). Requests are counted from
 * Distribution's own access log, so counting adds no proxy between client and registry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import type { BenchTls } from './tls';

export interface AccessEntry {
  method: string;
  path: string;
  status: number;
}

export interface PlainRegistry {
  /** `127.0.0.1:PORT` (changes on reset). */
  readonly host: string;
  readonly url: string;
  readonly tls: BenchTls;
  /** Access-log entries since start or the last reset. */
  readonly log: AccessEntry[];
  /** CPU seconds (user + system) the running registry process has used so far; 0 when unknown. */
  cpuSeconds(): number;
  /** Waits until the access log has been quiet for a moment (lines arrive just after the responses). */
  settle(): Promise<void>;
  /** Empties storage and restarts on a new port. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const ACCESS_LINE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) /;

/** Finds a free loopback port (bind to 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode} before listening on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`docker-registry did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function configYaml(dataDir: string, port: number, tls: BenchTls): string {
  return [
    'version: 0.1',
    'log: { level: error, accesslog: { disabled: false } }',
    'storage:',
    `  filesystem: { rootdirectory: ${dataDir} }`,
    '  delete: { enabled: true }',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  relativeurls: true',
    `  tls: { certificate: ${tls.serverCert}, key: ${tls.serverKey} }`,
    '',
  ].join('\n');
}

/** Starts docker-registry under `dir` with the given TLS material. */
export async function startPlainRegistry(dir: string, tls: BenchTls): Promise<PlainRegistry> {
  let child: ChildProcess | undefined;
  let port = 0;
  let generation = 0;
  const log: AccessEntry[] = [];

  const start = async () => {
    generation++;
    port = await freePort();
    const dataDir = join(dir, `data-${generation}`);
    await mkdir(dataDir, { recursive: true });
    const config = join(dir, 'config.yml');
    await writeFile(config, configYaml(dataDir, port, tls));
    const c = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    c.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = ACCESS_LINE.exec(line);
        if (m) log.push({ method: m[1]!, path: m[2]!, status: Number(m[3]) });
      }
    });
    c.stderr!.resume();
    child = c;
    await waitForPort(port, c);
  };

  const stopChild = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    c.kill('SIGTERM');
    await once(c, 'exit');
    await rm(join(dir, `data-${generation}`), { recursive: true, force: true });
  };

  await start();
  return {
    get host() { return `127.0.0.1:${port}`; },
    get url() { return `https://127.0.0.1:${port}`; },
    tls,
    log,
    cpuSeconds: () => (child?.pid ? processCpuSeconds(child.pid) : 0),
    async settle() {
      for (let i = 0, seen = -1; i < 20 && seen !== log.length; i++) {
        seen = log.length;
        await new Promise((r) => setTimeout(r, 40));
      }
    },
    async reset() {
      await stopChild();
      log.length = 0;
      await start();
    },
    stop: stopChild,
  };
}

/** utime + stime of a process from /proc/PID/stat (Linux; clock ticks of 1/100 s), or 0. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ')'; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Pids of this process's direct children whose command name is `name` (Linux /proc). */
export function childPidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === name && ppid === process.pid) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** Counts access-log entries from index `from` on, in total and by method. */
export function countRequests(log: AccessEntry[], from: number): { requests: number; requestsByMethod: Record<string, number> } {
  const byMethod: Record<string, number> = {};
  const slice = log.slice(from);
  for (const e of slice) byMethod[e.method] = (byMethod[e.method] ?? 0) + 1;
  return { requests: slice.length, requestsByMethod: byMethod };
}
