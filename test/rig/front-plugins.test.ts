/**
 * The FrontPlugin seam (handle, beforeProxy, afterProxy) and the proxy's streaming: a blob upload far
 * larger than what the front could reasonably buffer goes through with bounded memory and the right digest.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Caller, FrontPlugin, V2Operation } from './front-plugin';
import { startRig, type Rig } from './rig';

let rig: Rig;
const told: Array<{ op: V2Operation; status: number; digest: string | null; body: string }> = [];
let beforeCaller: Caller | undefined;

const plugin: FrontPlugin = {
  async handle(req, res, { url, caller, challenge }) {
    if (!url.pathname.startsWith('/test/')) return false;
    if (!caller) {
      res.writeHead(401, { 'www-authenticate': challenge('registry:catalog:*') }).end();
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ identity: caller.identity, catalog: caller.canCatalog, canPush: caller.can('r', 'push') }));
    return true;
  },
  async beforeProxy(op, caller) {
    beforeCaller = caller;
    if (op.kind === 'manifest' && op.method === 'PUT' && op.reference === 'locked') {
      return { status: 405, code: 'DENIED', message: 'tag is locked' };
    }
    return undefined;
  },
  async afterProxy(op, status, headers, body) {
    told.push({ op, status, digest: headers.get('docker-content-digest'), body: body.toString('utf8') });
  },
};

const basic = (): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${rig.admin.username}:${rig.admin.password}`).toString('base64')}` });
const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Pushes one blob with POST + PATCH (streamed) + PUT, as the Azure SDK does. */
async function pushBlob(repo: string, body: string | ReadableStream, digest: string, extra: Record<string, string> = {}): Promise<Response> {
  const start = await fetch(`${rig.url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: basic() });
  expect(start.status).toBe(202);
  const location = start.headers.get('location')!;
  expect(location.startsWith('/v2/')).toBe(true);
  const patch = await fetch(new URL(location, rig.url), { method: 'PATCH', headers: { ...basic(), 'content-type': 'application/octet-stream', ...extra }, body, duplex: 'half' } as RequestInit);
  expect(patch.status).toBe(202);
  const next = new URL(patch.headers.get('location')!, rig.url);
  next.searchParams.set('digest', digest);
  return fetch(next, { method: 'PUT', headers: basic() });
}

beforeAll(async () => {
  rig = await startRig({ plugins: [plugin] });
});
afterAll(async () => {
  await rig?.stop();
});

describe('front plugins', () => {
  test('handle gets the caller, or answers with the challenge it is given', async () => {
    const anon = await fetch(`${rig.url}/test/who`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe(`Bearer realm="${rig.url}/oauth2/token",service="${rig.loginServer}",scope="registry:catalog:*"`);
    const admin = await fetch(`${rig.url}/test/who`, { headers: basic() });
    expect(await admin.json()).toEqual({ identity: 'admin', catalog: true, canPush: true });
    expect((await fetch(`${rig.url}/nothing/here`, { headers: basic() })).status).toBe(404);
  });

  test('beforeProxy refuses, afterProxy sees the manifest bytes and the digest', async () => {
    const config = '{}';
    expect((await pushBlob('plug/in', config, sha256(config))).status).toBe(201);
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: 2 }, layers: [] });
    const put = (tag: string) => fetch(`${rig.url}/v2/plug/in/manifests/${tag}`, { method: 'PUT', headers: { ...basic(), 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
    const refused = await put('locked');
    expect(refused.status).toBe(405);
    expect(await refused.json()).toEqual({ errors: [{ code: 'DENIED', message: 'tag is locked' }] });
    const ok = await put('v1');
    expect(ok.status).toBe(201);
    expect(beforeCaller?.identity).toBe('admin');
    const last = told.at(-1)!;
    expect(last).toMatchObject({ status: 201, digest: sha256(manifest), body: manifest, op: { kind: 'manifest', repository: 'plug/in', reference: 'v1', method: 'PUT' } });
    expect(told.filter((t) => t.op.kind === 'upload').every((t) => t.body === '')).toBe(true);
  });
});

describe('streaming through the proxy', () => {
  test('a 128 MiB upload streams with bounded memory and keeps its digest', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const total = 128;
    const hash = createHash('sha256');
    for (let i = 0; i < total; i++) hash.update(chunk);
    const digest = `sha256:${hash.digest('hex')}`;
    let peak = 0;
    const base = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss - base)), 20);
    const body = Readable.toWeb(Readable.from((function* () { for (let i = 0; i < total; i++) yield chunk; })())) as ReadableStream;
    try {
      const put = await pushBlob('big/blob', body, digest);
      expect(put.status).toBe(201);
      expect(put.headers.get('docker-content-digest')).toBe(digest);
    } finally {
      clearInterval(sampler);
    }
    // Buffering would cost at least the body size; streaming stays far below it.
    expect(peak).toBeLessThan(96 * 1024 * 1024);
    const head = await fetch(`${rig.url}/v2/big/blob/blobs/${digest}`, { method: 'HEAD', headers: basic() });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(total * 1024 * 1024));
  });
});
