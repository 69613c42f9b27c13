/**
 * A fault-injecting HTTPS proxy between a client and the rig's front. Clients use `proxy.host` as the
 * registry; the proxy forwards to `upstream` (rig.url) and, per rule (fault-rules.ts), resets, stalls,
 * throttles, fails, mangles or refuses. Token realms in WWW-Authenticate are rewritten to point at the
 * proxy, so token requests pass through it too and can be faulted. Everything it did is in `records`.
 */
import { createServer, Agent, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRigCa, issueServerCert } from '../rig/ca';
import { corruptJson, RuleBook, scopeFor, truncate, wrongDigest, type Fault, type FaultRecord, type FaultRule } from './fault-rules';
import { cut, drain, readAll, Upstream } from './proxy-upstream';

export type { Answer, Fault, FaultRecord, FaultRule } from './fault-rules';

export interface FaultProxyOptions {
  /** The rig's front, `https://127.0.0.1:<port>`. */
  upstream: string;
  /** The login server the rig's tokens are issued for (challenge `service`). */
  service: string;
  /** Process to SIGSTOP for `freeze-registry` faults (rig.distributionPid). */
  registryPid?: number;
}

export interface FaultProxy {
  /** `127.0.0.1:<port>`: use as the registry host. */
  host: string;
  url: string;
  /** Every request seen, oldest first. */
  records: FaultRecord[];
  /** Adds rules; counting starts now for them. */
  inject(...rules: FaultRule[]): void;
  /** Drops rules and records. */
  reset(): void;
  /** `reset()`, then `inject(...rules)`: how a scenario starts. */
  injectOnly(...rules: FaultRule[]): void;
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port with a certificate from the rig CA. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const ca = await ensureRigCa();
  const work = await mkdtemp(join(tmpdir(), 'acrkit-fault-proxy-'));
  const tls = await issueServerCert(ca, work);
  const agent = new Agent({ keepAlive: true, ca: ca.certPem });
  const book = new RuleBook();
  const records: FaultRecord[] = [];
  const sockets = new Set<Socket>();
  const tokens = new Set<string>();
  let url = '';
  let port = 0;
  let refusing: Promise<void> | undefined;

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const token = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
    const bearer = token !== undefined;
    const picked = book.pick(method, path, { authorized: req.headers.authorization !== undefined, reusedBearer: token !== undefined && tokens.has(token) });
    if (token) tokens.add(token);
    const record: FaultRecord = { method, path, fault: picked?.fault.kind, rule: picked?.rule, status: 0, bearer };
    records.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    handle(req, res, picked?.fault).catch(() => req.socket.destroy());
  });
  server.requestTimeout = 0;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const upstream = new Upstream(options.upstream, agent, () => url);
  await listen(server, 0);
  port = (server.address() as AddressInfo).port;
  url = `https://127.0.0.1:${port}`;

  function reset(): void {
    book.clear();
    records.length = 0;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, fault: Fault | undefined): Promise<void> {
    if (!fault) return upstream.pass(req, res);
    switch (fault.kind) {
      case 'reset-request': {
        let seen = 0;
        const limit = fault.afterBytes ?? 0;
        if (limit === 0) return void req.socket.destroy();
        const up = fault.forward ? upstream.writer(req) : undefined;
        req.on('data', (c: Buffer) => {
          if (seen >= limit) return;
          up?.write(c.subarray(0, limit - seen));
          seen += c.length;
          if (seen >= limit) cut(req, up);
        });
        req.on('end', () => cut(req, up));
        return;
      }
      case 'reset-response': {
        const up = await upstream.forward(req);
        res.writeHead(up.statusCode ?? 502, upstream.answerHeaders(up));
        res.flushHeaders();
        let sent = 0;
        const limit = fault.afterBytes ?? 0;
        if (limit === 0) return void setTimeout(() => req.socket.destroy(), 10);
        up.on('data', (c: Buffer) => {
          if (sent >= limit) return;
          res.write(c.subarray(0, limit - sent));
          sent += c.length;
          if (sent >= limit) setTimeout(() => req.socket.destroy(), 10);
        });
        return;
      }
      case 'stall':
        if (fault.ms === undefined) return void req.resume();
        await new Promise((r) => setTimeout(r, fault.ms));
        if (req.socket.destroyed) return;
        return upstream.pass(req, res);
      case 'status': {
        if (fault.forward) {
          const up = await upstream.forward(req);
          await readAll(up);
        } else {
          await drain(req);
        }
        const body = fault.body ?? `{"errors":[{"code":"UNKNOWN","message":"fault proxy: injected ${fault.status}"}]}`;
        res.writeHead(fault.status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(fault.retryAfter !== undefined && { 'retry-after': fault.retryAfter }),
        });
        return void res.end(body);
      }
      case 'truncate-json':
        return upstream.forwardChanged(req, res, (a) => ({ ...a, body: truncate(a.body) }));
      case 'corrupt-json':
        return upstream.forwardChanged(req, res, (a) => ({ ...a, body: corruptJson(a.body) }));
      case 'wrong-digest':
        return upstream.forwardChanged(req, res, (a) => ({
          ...a,
          headers: { ...a.headers, 'docker-content-digest': wrongDigest(String(a.headers['docker-content-digest'])) },
        }));
      case 'rewrite':
        return upstream.forwardChanged(req, res, fault.rewrite);
      case 'expire-token': {
        await drain(req);
        const scope = scopeFor(req.method ?? 'GET', req.url ?? '/');
        const challenge = `Bearer realm="${url}/oauth2/token",service="${options.service}"${scope ? `,scope="${scope}"` : ''},error="invalid_token"`;
        const body = '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required (token expired)"}]}';
        res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        return void res.end(body);
      }
      case 'refuse':
        req.socket.destroy();
        refusing ??= refuseFor(fault.ms).finally(() => (refusing = undefined));
        return;
      case 'freeze-registry': {
        const pid = options.registryPid;
        if (pid === undefined) throw new Error('fault proxy: freeze-registry needs registryPid');
        process.kill(pid, 'SIGSTOP');
        setTimeout(() => process.kill(pid, 'SIGCONT'), fault.ms);
        return upstream.pass(req, res);
      }
    }
  }

  /** Closes the listener (new connections are refused) and resets open ones, then listens again on the same port. */
  async function refuseFor(ms: number): Promise<void> {
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
    await new Promise((r) => setTimeout(r, ms));
    await listen(server, port);
  }

  return {
    get host() {
      return `127.0.0.1:${port}`;
    },
    get url() {
      return url;
    },
    records,
    inject: (...rules) => book.add(...rules),
    reset,
    injectOnly: (...rules) => {
      reset();
      book.add(...rules);
    },
    close: async () => {
      await refusing;
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      agent.destroy();
      await rm(work, { recursive: true, force: true });
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
