/**
 * Fills a rig cheaply for the browse scenario: one tiny image (a config blob, no layers) whose manifest
 * is PUT under many tags of one repository, and into many repositories (the config mounted from the
 * first). Everything goes through the rig's front, as a client would, so ACR's metadata (push times)
 * is recorded as it would be; requests run a bounded number at a time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

export interface SeedTarget {
  url: string;
  loginServer: string;
  caFile: string;
  username: string;
  password: string;
}

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function makeCaller(t: SeedTarget) {
  const agent = new Agent({ ca: readFileSync(t.caFile), keepAlive: true, maxSockets: 16 });
  return (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = request(`${t.url}${path}`, { method, agent, headers: { ...headers, ...(body && { 'Content-Length': String(body.length) }) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

async function limited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

const expect = (r: Reply, what: string, ...ok: number[]) => {
  if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.body.toString().slice(0, 200)}`);
};

/** Seeds `tagCount` tags in `tagRepository` and `repositoryCount` repositories named `<prefix>NNNN`. */
export async function seedBrowseData(t: SeedTarget, o: { tagRepository: string; tagCount: number; repositoryPrefix: string; repositoryCount: number; concurrency?: number }): Promise<void> {
  const call = makeCaller(t);
  const basic = `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`;
  const token = async (scopes: string[]) => {
    const q = scopes.map((s) => `scope=${encodeURIComponent(s)}`).join('&');
    const r = await call('GET', `/oauth2/token?service=${encodeURIComponent(t.loginServer)}&${q}`, { Authorization: basic });
    expect(r, 'token', 200);
    return `Bearer ${(JSON.parse(r.body.toString()) as { access_token: string }).access_token}`;
  };
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-01-01T00:00:00Z', rootfs: { type: 'layers', diff_ids: [] }, config: {} }));
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [],
  }));
  const manifestHeaders = (auth: string) => ({ Authorization: auth, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
  const concurrency = o.concurrency ?? 16;

  const auth = await token([`repository:${o.tagRepository}:pull,push`]);
  const post = await call('POST', `/v2/${o.tagRepository}/blobs/uploads/`, { Authorization: auth });
  expect(post, 'upload start', 202);
  const location = String(post.headers.location);
  const put = await call('PUT', `${location.startsWith('http') ? new URL(location).pathname + new URL(location).search : location}${location.includes('?') ? '&' : '?'}digest=${configDigest}`, { Authorization: auth, 'Content-Type': 'application/octet-stream' }, config);
  expect(put, 'config upload', 201);
  const tags = Array.from({ length: o.tagCount }, (_, i) => `t${String(i).padStart(5, '0')}`);
  await limited(tags, concurrency, async (tag) => {
    expect(await call('PUT', `/v2/${o.tagRepository}/manifests/${tag}`, manifestHeaders(auth), manifest), `manifest ${tag}`, 201);
  });
  const repos = Array.from({ length: o.repositoryCount }, (_, i) => `${o.repositoryPrefix}${String(i).padStart(4, '0')}`);
  await limited(repos, concurrency, async (repo) => {
    const a = await token([`repository:${repo}:pull,push`, `repository:${o.tagRepository}:pull`]);
    expect(await call('POST', `/v2/${repo}/blobs/uploads/?mount=${configDigest}&from=${o.tagRepository}`, { Authorization: a }), `mount into ${repo}`, 201);
    expect(await call('PUT', `/v2/${repo}/manifests/latest`, manifestHeaders(a), manifest), `manifest in ${repo}`, 201);
  });
}
