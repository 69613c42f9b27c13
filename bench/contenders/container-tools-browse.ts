/**
 * Baseline: how Microsoft's Container Tools extension fills its registry tree (its generic V2
 * provider; see anchors-vscode.md §1.4): follow `Link` through the whole tag list (or catalog) with
 * no `n`, then for every tag one manifest GET and one config-blob GET to find a "created" time, and
 * only then sort. Container Tools fires the per-tag requests with unbounded concurrency; this bounds
 * them (--concurrency, default 64) so the shared rig keeps its file descriptors, which if anything
 * flatters the baseline. Tokens are cached per scope, which flatters it too.
 *
 * Args: --url https://HOST --username U --password P (--repository R | --catalog) [--concurrency 64]
 * Prints {"items": N} when done.
 */
import { forEachLimited, parseArgs } from './layout-reader';

const ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

interface Challenge { realm: string; service: string }

function parseChallenge(header: string | null): Challenge {
  const params = Object.fromEntries([...(header ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  if (!params.realm) throw new Error(`no Bearer realm in WWW-Authenticate: ${header}`);
  return { realm: params.realm, service: params.service ?? '' };
}

function client(url: string, basic: string) {
  const tokens = new Map<string, Promise<string>>();
  let challenge: Promise<Challenge> | undefined;
  const token = (scope: string) => {
    let t = tokens.get(scope);
    if (!t) {
      t = (async () => {
        challenge ??= fetch(`${url}/v2/`).then((r) => { void r.body?.cancel(); return parseChallenge(r.headers.get('www-authenticate')); });
        const c = await challenge;
        const r = await fetch(`${c.realm}?service=${encodeURIComponent(c.service)}&scope=${encodeURIComponent(scope)}`, { headers: { Authorization: `Basic ${basic}` } });
        if (!r.ok) throw new Error(`token for ${scope}: ${r.status}`);
        return ((await r.json()) as { access_token?: string; token?: string }).access_token!;
      })();
      tokens.set(scope, t);
    }
    return t;
  };
  return async (path: string, scope: string, accept?: string): Promise<Response> => {
    const r = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${await token(scope)}`, ...(accept && { Accept: accept }) } });
    if (!r.ok) throw new Error(`GET ${path}: ${r.status}`);
    return r;
  };
}

/** Follows `Link: <next>; rel="next"` from `first`, collecting `key` of each page. */
async function listAll(get: ReturnType<typeof client>, first: string, scope: string, key: 'tags' | 'repositories'): Promise<string[]> {
  const out: string[] = [];
  for (let path: string | undefined = first; path;) {
    const r = await get(path, scope);
    out.push(...(((await r.json()) as Record<string, string[] | null>)[key] ?? []));
    path = /<([^>]+)>;\s*rel="?next"?/.exec(r.headers.get('link') ?? '')?.[1];
  }
  return out;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), ['url', 'username', 'password']);
  const get = client(a.url!, Buffer.from(`${a.username}:${a.password}`).toString('base64'));
  if (a.catalog) {
    const repos = await listAll(get, '/v2/_catalog', 'registry:catalog:*', 'repositories');
    console.log(JSON.stringify({ items: repos.sort().length }));
    return;
  }
  const repo = a.repository!;
  const scope = `repository:${repo}:pull`;
  const tags = await listAll(get, `/v2/${repo}/tags/list`, scope, 'tags');
  const created = new Map<string, number>();
  await forEachLimited(tags, Number(a.concurrency ?? 64), async (tag) => {
    const manifest = (await (await get(`/v2/${repo}/manifests/${tag}`, scope, ACCEPT)).json()) as { config?: { digest: string } };
    if (!manifest.config) return;
    const config = (await (await get(`/v2/${repo}/blobs/${manifest.config.digest}`, scope)).json()) as { created?: string };
    created.set(tag, Date.parse(config.created ?? '') || 0);
  });
  const sorted = [...tags].sort((x, y) => (created.get(y) ?? 0) - (created.get(x) ?? 0));
  console.log(JSON.stringify({ items: sorted.length }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
