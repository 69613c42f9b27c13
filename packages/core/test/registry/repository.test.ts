/**
 * The data-plane client against tiny servers that answer what a healthy Distribution never does:
 * missing headers, wrong digests, oversized manifests, redirects to storage, odd statuses.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/http/registry-error';
import { DigestMismatchError } from '../../src/oci/digest';
import { ManifestError } from '../../src/oci/manifest';
import { RegistryInputError } from '../../src/registry/registry-input-error';
import { Repository } from '../../src/registry/repository';
import { sendJson, tinyServers, withRegistryToken, type Handler, type TinyServer } from './support/tiny-server';

const start = tinyServers();
const withToken = withRegistryToken();

async function serve(handler: Handler): Promise<{ server: TinyServer; repo: Repository }> {
  const server = await start(handler);
  return { server, repo: new Repository({ transport: withToken, registry: server.host, repository: 'team/app', insecure: true }) };
}

const manifest = Buffer.from(JSON.stringify({
  schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 2 }, layers: [],
}));
const digestOf = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const manifestDigest = digestOf(manifest);

describe('input checks', () => {
  it.each([
    ['registry', { registry: 'https://x.io' }],
    ['repository', { repository: 'Team/App' }],
  ])('refuses a bad %s before any request', (field, override) => {
    expect(() => new Repository({ transport: withToken, registry: 'x.io', repository: 'a', ...override })).toThrow(RegistryInputError);
  });

  it('refuses malformed digests and tags over 128 characters, quoting them', async () => {
    const repo = new Repository({ transport: withToken, registry: 'x.io', repository: 'a' });
    await expect(repo.fetchManifest('sha256:abc')).rejects.toThrow(/invalid digest "sha256:abc"/);
    await expect(repo.resolve('t'.repeat(129))).rejects.toThrow(/tag is 129 characters long, the maximum is 128/);
    await expect(repo.blobExists('md5:0')).rejects.toSatisfy((e) => RegistryInputError.is(e, 'digest'));
  });
});

describe('manifests', () => {
  it('resolves with one GET when HEAD omits Docker-Content-Digest', async () => {
    const { server, repo } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(manifest.length) });
      res.end(req.method === 'HEAD' ? undefined : manifest);
    });
    expect(await repo.resolve('v1')).toEqual({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length });
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(server.requests[0]!.headers.accept).toContain('application/vnd.oci.image.index.v1+json');
  });

  it('refuses bytes that do not match the digest asked for, or the digest the registry claims', async () => {
    const other = `sha256:${'b'.repeat(64)}`;
    const { repo } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': other });
      res.end(manifest);
    });
    await expect(repo.fetchManifest(manifestDigest)).rejects.toBeInstanceOf(DigestMismatchError);
    const err = await repo.fetchManifest('v1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect((err as Error).message).toContain('team/app:v1');
  });

  it('refuses manifests over 4 MiB, declared or streamed', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    const { repo } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', ...(req.url!.endsWith('declared') && { 'content-length': String(big.length) }) });
      res.end(big);
    });
    await expect(repo.fetchManifest('declared')).rejects.toSatisfy((e) => ManifestError.is(e, 'TOO_LARGE'));
    await expect(repo.fetchManifest('chunked')).rejects.toSatisfy((e) => ManifestError.is(e, 'TOO_LARGE'));
  });

  it('checks the digest the registry reports for a pushed manifest', async () => {
    const { server, repo } = await serve((_req, res) => {
      res.writeHead(201, { 'docker-content-digest': `sha256:${'c'.repeat(64)}` });
      res.end();
    });
    await expect(repo.pushManifest('v1', manifest, 'application/vnd.oci.image.manifest.v1+json')).rejects.toBeInstanceOf(DigestMismatchError);
    expect(server.requests[0]!.headers['content-type']).toBe('application/vnd.oci.image.manifest.v1+json');
  });

  it.each([
    [401, 'UNAUTHORIZED'], [403, 'DENIED'], [404, 'MANIFEST_UNKNOWN'], [429, 'TOO_MANY_REQUESTS'], [500, 'UNKNOWN'],
  ])('turns %i into a RegistryError naming the request and the code', async (status, code) => {
    const { repo } = await serve((_req, res) => sendJson(res, status, { errors: [{ code, message: 'no' }] }));
    const err = await repo.fetchManifest('v1').catch((e: unknown) => e);
    expect(RegistryError.is(err, code)).toBe(true);
    expect((err as RegistryError).message).toMatch(new RegExp(`^GET http://127\\.0\\.0\\.1:\\d+/v2/team/app/manifests/v1: ${status} ${code}`));
  });
});

describe('blobs', () => {
  const blob = Buffer.from('layer bytes');
  const blobDigest = digestOf(blob);

  it('follows a redirect to storage without the registry token, verifying the bytes', async () => {
    const storage = await start((_req, res) => void res.end(blob));
    const { server, repo } = await serve((_req, res) => {
      res.writeHead(307, { location: `http://${storage.host}/container/blob?sig=SECRETSAS` });
      res.end();
    });
    const { stream } = await repo.fetchBlob(blobDigest);
    expect(Buffer.from(await new Response(stream).arrayBuffer()).toString()).toBe('layer bytes');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer registry-secret');
    expect(storage.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('errors at the end of a download whose bytes do not match', async () => {
    const { repo } = await serve((_req, res) => void res.end('other bytes'));
    const { stream } = await repo.fetchBlob(blobDigest);
    await expect(new Response(stream).arrayBuffer()).rejects.toBeInstanceOf(DigestMismatchError);
  });

  it('uploads through relative Locations, keeping the session query, with the digest on the PUT', async () => {
    const { server, repo } = await serve((req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: '/v2/team/app/blobs/uploads/u1?_state=abc' });
      else res.writeHead(201, { 'docker-content-digest': blobDigest });
      res.end();
    });
    await repo.pushBlob({ mediaType: 'x', digest: blobDigest, size: blob.length }, () => blob);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v2/team/app/blobs/uploads/',
      `PUT /v2/team/app/blobs/uploads/u1?_state=abc&digest=${encodeURIComponent(blobDigest)}`,
    ]);
    expect(server.requests[1]!.body.toString()).toBe('layer bytes');
  });

  it('blames the source when its bytes do not hash to the digest they were pushed as', async () => {
    const { repo } = await serve((req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: '/v2/team/app/blobs/uploads/u1' });
      else sendJson(res, 400, { errors: [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }] });
      res.end();
    });
    const err = await repo.pushBlob({ mediaType: 'x', digest: blobDigest, size: 11 }, () => Buffer.from('wrong bytes')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect((err as Error).message).toContain(`source of blob ${blobDigest}`);
    expect(RegistryError.is((err as Error).cause, 'DIGEST_INVALID')).toBe(true);
  });

  it('uploads through the session a mount request opened when the registry answers 202', async () => {
    const { server, repo } = await serve((req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: `http://${req.headers.host}/v2/team/app/blobs/uploads/u2` });
      else res.writeHead(201);
      res.end();
    });
    const action = await repo.mountBlob({ mediaType: 'x', digest: blobDigest, size: blob.length }, 'team/base', () => blob);
    expect(action).toBe('uploaded');
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'PUT']);
    expect(server.requests[0]!.url).toBe(`/v2/team/app/blobs/uploads/?mount=${encodeURIComponent(blobDigest)}&from=team%2Fbase`);
  });
});

describe('tag listing', () => {
  it('follows relative Links page by page and stops at maxPages with a cursor', async () => {
    const { server, repo } = await serve((req, res) => {
      const last = new URL(req.url!, 'http://x').searchParams.get('last');
      const page = last === null ? ['a', 'b'] : last === 'b' ? ['c', 'd'] : ['e'];
      const next: Record<string, string> = page.at(-1) === 'e' ? {} : { link: `</v2/team/app/tags/list?n=2&last=${page.at(-1)}>; rel="next"` };
      sendJson(res, 200, { name: 'team/app', tags: page }, next);
    });
    const all: string[] = [];
    for await (const page of repo.listTags({ pageSize: 2 })) all.push(...page.items);
    expect(all).toEqual(['a', 'b', 'c', 'd', 'e']);
    const bounded = [];
    for await (const page of repo.listTags({ pageSize: 2, maxPages: 1 })) bounded.push(page);
    expect(bounded).toEqual([{ items: ['a', 'b'], next: 'b' }]);
    expect(server.requests.at(-1)!.url).toBe('/v2/team/app/tags/list?n=2');
  });

  it('refuses a Link to another host and an invalid JSON page', async () => {
    const { repo } = await serve((req, res) => {
      if (req.url!.includes('last')) return sendJson(res, 200, { tags: ['x'] }, { link: '<http://evil.example/v2/x/tags/list?last=x>; rel="next"' });
      res.writeHead(200, { 'content-type': 'application/json', link: '</v2/team/app/tags/list?last=a>; rel="next"' });
      res.end('{not json');
    });
    await expect(collect(repo.listTags())).rejects.toThrow(/tags\/list: the registry answered invalid JSON/);
    await expect(collect(repo.listTags({ last: 'a' }))).rejects.toThrow(/refusing to follow Link to another host: http:\/\/evil\.example/);
  });
});

async function collect(pages: AsyncIterable<{ items: string[] }>): Promise<string[]> {
  const out: string[] = [];
  for await (const p of pages) out.push(...p.items);
  return out;
}
