/**
 * What the fault proxy can do and to which requests: the pure half of fault-proxy.ts (rule matching,
 * occurrence counting, body mangling), so the proxy file holds only sockets.
 */
import { createHash } from 'node:crypto';

/** One fault. Faults that forward first (`reset-response`, `truncate-json`, ...) let the request take effect upstream. */
export type Fault =
  /**
   * Reads `afterBytes` of the request body (default 0), then destroys the connection. Nothing reaches
   * the rig unless `forward` is true: then those bytes do (a partial upload the registry saw).
   */
  | { kind: 'reset-request'; afterBytes?: number; forward?: boolean }
  /** Forwards, sends the headers and `afterBytes` of the answer's body (default 0), then destroys the connection. */
  | { kind: 'reset-response'; afterBytes?: number }
  /** Waits `ms` then forwards; without `ms`, never answers (until the client gives up). */
  | { kind: 'stall'; ms?: number }
  /** Answers `status` without forwarding (the request has no effect); `retryAfter` sets Retry-After. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string; forward?: false }
  /** Forwards (the request takes effect), then replaces the answer with `status`: a lost answer. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string; forward: true }
  /** Forwards and sends only the first half of the JSON body, with a matching Content-Length. */
  | { kind: 'truncate-json' }
  /** Forwards and sends the body with its JSON structure broken (same length). */
  | { kind: 'corrupt-json' }
  /** Forwards and replaces Docker-Content-Digest with the digest of other bytes. */
  | { kind: 'wrong-digest' }
  /**
   * On a request carrying a Bearer token already used on an earlier request (a cached token: only those
   * can expire; a token minted for this very request cannot), answers 401 `error="invalid_token"`.
   */
  | { kind: 'expire-token' }
  /** Refuses connections (listener closed) for `ms`, resetting this one and every open one. */
  | { kind: 'refuse'; ms: number }
  /** Freezes the registry process (SIGSTOP) for `ms`, then forwards; needs the proxy's `registryPid`. */
  | { kind: 'freeze-registry'; ms: number }
  /** Forwards, then lets `rewrite` change status, headers and body (hostile answers). */
  | { kind: 'rewrite'; rewrite: (answer: Answer) => Answer | Promise<Answer> };

/** An upstream answer as the proxy holds it before passing it on. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Send without Content-Length (chunked), so the client cannot know the size up front. */
  chunked?: boolean;
}

/** Which requests a rule applies to. */
export interface FaultRule {
  /** Upper-case method; undefined means any. */
  method?: string;
  /** Tested against the path with query (`/v2/app/manifests/v1`). */
  path: RegExp;
  /** First matching occurrence to fault, 1-based; undefined means 1. */
  nth?: number;
  /** How many matching occurrences to fault from `nth`; undefined means 1, Infinity means all. */
  count?: number;
  /** Only requests that carry an Authorization header count (skips the anonymous first request of a client). */
  authorizedOnly?: boolean;
  fault: Fault;
}

/** What the proxy did with one request. */
export interface FaultRecord {
  method: string;
  path: string;
  /** `kind` of the fault applied, or undefined when forwarded untouched. */
  fault?: Fault['kind'];
  /** Index of the rule in `rules` whose fault applied. */
  rule?: number;
  /** Status the client got (0 when it got none: reset, refused, stalled). */
  status: number;
  /** True when the request carried `Authorization: Bearer`. */
  bearer: boolean;
}

/** What the rule book needs to know about a request besides method and path. */
export interface RequestTraits {
  /** Any Authorization header. */
  authorized: boolean;
  /** A Bearer token seen on an earlier request. */
  reusedBearer: boolean;
}

/** Counts matches per rule and says which fault (if any) applies to a request. */
export class RuleBook {
  private readonly seen: number[] = [];
  constructor(readonly rules: FaultRule[] = []) {}

  /** Adds rules (counting starts now for them). */
  add(...rules: FaultRule[]): void {
    this.rules.push(...rules);
  }

  /** Drops every rule and count. */
  clear(): void {
    this.rules.length = 0;
    this.seen.length = 0;
  }

  /** The first rule whose occurrence window includes this request; every matching rule's count advances. */
  pick(method: string, path: string, traits: RequestTraits): { fault: Fault; rule: number } | undefined {
    let picked: { fault: Fault; rule: number } | undefined;
    this.rules.forEach((rule, i) => {
      if (rule.method && rule.method !== method) return;
      if (!rule.path.test(path)) return;
      // An expired token can only be simulated on a request that had one.
      if (rule.fault.kind === 'expire-token' && !traits.reusedBearer) return;
      if (rule.authorizedOnly && !traits.authorized) return;
      const n = (this.seen[i] = (this.seen[i] ?? 0) + 1);
      const first = rule.nth ?? 1;
      if (!picked && n >= first && n < first + (rule.count ?? 1)) picked = { fault: rule.fault, rule: i };
    });
    return picked;
  }
}

/** The first half of a body (at least one byte less than it). */
export function truncate(body: Buffer): Buffer {
  return body.subarray(0, Math.floor(body.length / 2));
}

/** The body with its first `{`/`[` and last `}`/`]` swapped for characters JSON cannot start or end with. */
export function corruptJson(body: Buffer): Buffer {
  const text = Buffer.from(body);
  const open = text.findIndex((b) => b === 0x7b || b === 0x5b);
  if (open >= 0) text[open] = 0x3c; // '<'
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === 0x7d || text[i] === 0x5d) {
      text[i] = 0x3e; // '>'
      break;
    }
  }
  return text;
}

/** A well-formed digest that names none of the bytes the registry holds. */
export function wrongDigest(seed: string): string {
  return `sha256:${createHash('sha256').update(`not ${seed}`).digest('hex')}`;
}

/** Replaces `realm="<from>` with `realm="<to>` so token requests go through the proxy too. */
export function rewriteRealm(header: string | string[] | undefined, from: string, to: string): string | string[] | undefined {
  if (header === undefined) return undefined;
  const fix = (h: string) => h.split(`realm="${from}`).join(`realm="${to}`);
  return Array.isArray(header) ? header.map(fix) : fix(header);
}

/** The scope a 401 for `method path` would name (`repository:<name>:pull[,push]`); undefined outside repositories. */
export function scopeFor(method: string, path: string): string | undefined {
  const m = /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(path.split('?')[0]!);
  if (!m) return undefined;
  return `repository:${m[1]}:${method === 'GET' || method === 'HEAD' ? 'pull' : 'pull,push'}`;
}
