/**
 * Hostile registry answers, made by the fault proxy rewriting what the real rig said: Link headers to
 * other hosts or schemes are not followed, manifests over 4 MiB and JSON that contradicts its media
 * type are refused, blobs that do not match their digest are rejected, error bodies are capped, and an
 * upload Location on another host gets no credentials.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_BODY_MAX_BYTES, RegistryError } from '../../packages/core/src/http/registry-error';
import { computeDigest, DigestMismatchError } from '../../packages/core/src/oci/digest';
import { ManifestError } from '../../packages/core/src/oci/manifest';
import { MediaType } from '../../packages/core/src/oci/media-types';
import { copyImage } from '../../packages/core/src/registry/copy-image';
import { ImageOperationError } from '../../packages/core/src/registry/image-operation-error';
import { listRepositories } from '../../packages/core/src/registry/catalog';
import { collectAll } from '../../packages/core/src/registry/paged-list';
import { pushImage } from '../../packages/core/src/registry/push-image';
import { tagImage } from '../../packages/core/src/registry/tag-image';
import { openOciLayout } from '../../packages/core/src/sources/oci-layout-source';
import { generateOciLayout, type OciLayoutResult } from '../support/gen-oci-layout';
import type { Answer, FaultRule } from '../faults/fault-proxy';
import { rejection, startFaultBench, tagsOnRig, type FaultBench } from '../faults/fault-bench';

let bench: FaultBench;
let image: OciLayoutResult;
let capture: Server;
const captured: IncomingHttpHeaders[] = [];
const REPO = 'hostile/app';
const TAGS_LIST = /\/tags\/list/;

beforeAll(async () => {
  bench = await startFaultBench();
  image = await generateOciLayout({ dir: join(bench.work, 'img'), layers: 1, seed: `hostile-resp-${Date.now()}`, tag: 'v1' });
  const source = await openOciLayout(image.dir);
  await pushImage(source, bench.direct(REPO), { tags: ['v1', 'v2'] }).finally(() => source.close());
  capture = createServer((req, res) => {
    captured.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(500).end());
  });
  await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
}, 120_000);

afterAll(async () => {
  await new Promise((r) => capture?.close(r));
  await bench?.stop();
});

function inject(...rules: FaultRule[]): void {
  bench.proxy.reset();
  bench.proxy.inject(...rules);
}

const rewrite = (method: string, path: RegExp, fn: (a: Answer) => Answer, count = 1): FaultRule =>
  ({ method, path, authorizedOnly: true, count, fault: { kind: 'rewrite', rewrite: fn } });

describe('Link headers', () => {
  it.each<[string, (host: string) => string]>([
    ['another host', () => 'https://registry.example.com/v2/hostile/app/tags/list?last=v1'],
    ['another port on the same address', () => 'https://127.0.0.1:1/v2/hostile/app/tags/list?last=v1'],
    ['plain http on the same host', (host) => `http://${host}/v2/hostile/app/tags/list?last=v1`],
    ['a javascript: URL', () => 'javascript:alert(1)'],
  ])('to %s is refused, and no further page is requested', async (_name, target) => {
    const link = target(bench.proxy.host);
    inject(rewrite('GET', TAGS_LIST, (a) => ({ ...a, headers: { ...a.headers, link: `<${link}>; rel="next"` } })));
    const err = await rejection(collectAll(bench.faulty(REPO).listTags()));
    expect(err.message).toMatch(/refusing to follow Link to another host|malformed Link/);
    expect(bench.proxy.records.filter((r) => TAGS_LIST.test(r.path) && r.status === 200)).toHaveLength(1);
  });

  it('within the same host it is followed (control)', async () => {
    inject(rewrite('GET', TAGS_LIST, (a) => ({ ...a, headers: { ...a.headers, link: '</v2/hostile/app/tags/list?last=v1&n=5>; rel="next"' } })));
    const tags = await collectAll(bench.faulty(REPO).listTags());
    expect(tags.filter((t) => t === 'v2').length).toBe(2);
    expect(bench.proxy.records.filter((r) => TAGS_LIST.test(r.path) && r.status === 200)).toHaveLength(2);
  });

  it('on the catalog, to another host, is refused', async () => {
    inject(rewrite('GET', /\/v2\/_catalog/, (a) => ({ ...a, headers: { ...a.headers, link: '<https://registry.example.com/v2/_catalog?last=x>; rel="next"' } })));
    const err = await rejection(collectAll(listRepositories({ transport: bench.transport(), registry: bench.proxy.host })));
    expect(err.message).toMatch(/refusing to follow Link to another host: https:\/\/registry\.example\.com/);
  });
});

describe('manifests', () => {
  const huge = () => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciManifest, pad: 'x'.repeat(5 * 1024 * 1024) }));

  it.each<[string, boolean]>([['with Content-Length', false], ['chunked (no length up front)', true]])(
    'over 4 MiB %s are refused (TOO_LARGE), and tagging with one adds no tag', async (_name, chunked) => {
      inject(rewrite('GET', /\/manifests\/v1$/, (a) => {
        const body = huge();
        return { ...a, body, chunked, headers: { ...a.headers, 'docker-content-digest': computeDigest(body) } };
      }, Infinity));
      const err = await rejection(tagImage(bench.faulty(REPO), 'v1', ['big']));
      expect(ManifestError.is(err.cause, 'TOO_LARGE'), err.message).toBe(true);
      expect(await tagsOnRig(bench.direct(REPO))).toEqual(['v1', 'v2']);
    });

  it.each<[string, string, unknown, string]>([
    ['an index served as an image manifest', MediaType.OciManifest, { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] }, 'MEDIA_TYPE_MISMATCH'],
    ['an image config served as an index', MediaType.OciIndex, { schemaVersion: 2, architecture: 'amd64', os: 'linux' }, 'INVALID_MANIFEST'],
    ['text that is not JSON served as an image manifest', MediaType.OciManifest, 'not json {', 'INVALID_JSON'],
  ])('%s is refused before anything is copied', async (_name, contentType, json, code) => {
    const body = Buffer.from(typeof json === 'string' ? json : JSON.stringify(json));
    const digest = computeDigest(body);
    const headers = { 'content-type': contentType, 'docker-content-digest': digest };
    inject(
      rewrite('HEAD', /hostile\/app\/manifests\/v1$/, (a) => ({ ...a, headers: { ...a.headers, ...headers, 'content-length': String(body.length) }, body: Buffer.alloc(0) }), Infinity),
      rewrite('GET', /hostile\/app\/manifests\//, (a) => ({ status: 200, headers: { ...a.headers, ...headers }, body }), Infinity),
    );
    const target = `hostile/copy-${code.toLowerCase()}`;
    const err = await rejection(copyImage(bench.faulty(REPO), 'v1', bench.faulty(target)));
    expect(ImageOperationError.is(err, 'source')).toBe(true);
    expect(ManifestError.is(err.cause, code as never), err.message).toBe(true);
    expect(await tagsOnRig(bench.direct(target))).toEqual([]);
  });
});

describe('blobs', () => {
  const layerPath = () => new RegExp(`/blobs/${image.layerDigests[0]}$`);

  it.each<[string, (b: Buffer) => Buffer]>([
    ['one byte changed', (b) => Buffer.concat([b.subarray(0, 100), Buffer.from([b[100]! ^ 1]), b.subarray(101)])],
    ['extra bytes appended', (b) => Buffer.concat([b, Buffer.from('tail')])],
  ])('a blob with %s is rejected by the verifying stream', async (_name, mangle) => {
    inject(rewrite('GET', layerPath(), (a) => ({ ...a, body: mangle(a.body) })));
    const blob = await bench.faulty(REPO).fetchBlob(image.layerDigests[0]!);
    const read = (async () => {
      for await (const _ of blob.stream as unknown as AsyncIterable<Uint8Array>) void _;
    })();
    const err = await rejection(read);
    expect(err).toBeInstanceOf(DigestMismatchError);
  });
});

describe('error bodies', () => {
  it('an 8 MiB error body is capped in the RegistryError and its message stays short', async () => {
    const body = Buffer.from(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'y'.repeat(8 * 1024 * 1024) }] }));
    inject(rewrite('GET', /\/manifests\/v1$/, () => ({ status: 404, headers: { 'content-type': 'application/json' }, body })));
    const err = await rejection(bench.faulty(REPO).fetchManifest('v1'));
    expect(RegistryError.is(err)).toBe(true);
    expect((err as RegistryError).body.length).toBeLessThanOrEqual(ERROR_BODY_MAX_BYTES);
    expect(err.message.length).toBeLessThan(2000);
    expect((err as RegistryError).status).toBe(404);
  });

  it('an 8 MiB body from the token endpoint is capped too', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024, 0x7a);
    inject({ method: 'GET', path: /^\/oauth2\/token/, fault: { kind: 'rewrite', rewrite: () => ({ status: 400, headers: {}, body }) } });
    const err = await rejection(bench.faulty(REPO).fetchManifest('v1'));
    expect((err as RegistryError).body.length).toBeLessThanOrEqual(ERROR_BODY_MAX_BYTES);
    expect(err.message.length).toBeLessThan(2000);
  });
});

describe('upload locations', () => {
  it('a Location on another host gets the upload but never the registry token or password', async () => {
    captured.length = 0;
    const port = (capture.address() as AddressInfo).port;
    inject(rewrite('POST', /\/blobs\/uploads\/$/, (a) => ({ ...a, headers: { ...a.headers, location: `http://127.0.0.1:${port}/steal` } }), Infinity));
    const dir = join(bench.work, 'img-location');
    await generateOciLayout({ dir, seed: `location-${Date.now()}`, tag: 'v1' });
    const source = await openOciLayout(dir);
    const err = await rejection(pushImage(source, bench.faulty('hostile/location'), { tags: ['v1'] }).finally(() => source.close()));
    expect(ImageOperationError.is(err, 'destination')).toBe(true);
    expect(captured.length).toBeGreaterThan(0);
    for (const headers of captured) {
      expect(headers.authorization).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(bench.rig.admin.password);
    }
    expect(await tagsOnRig(bench.direct('hostile/location'))).toEqual([]);
  });
});
