/**
 * The SDK-to-Transport adapter in isolation (fake transport): the SDK's requests arrive with ACR's
 * scopes and without its own Authorization, pages follow ACR's relative Link, and a 401 that our
 * transport could not fix is reported as is (the SDK's anonymous-token fallback never runs).
 */
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { AcrRegistryClient } from '../../src/acr/acr-registry-client';
import { acrScopesFor } from '../../src/acr/acr-scopes';
import { createTransportHttpClient } from '../../src/acr/transport-http-client';
import { NetworkError } from '../../src/http/network-error';
import { RegistryError } from '../../src/http/registry-error';
import type { Transport, TransportRequest } from '../../src/http/transport';
import { ManifestError } from '../../src/oci/manifest';

const HOST = 'myreg.azurecr.io';
const tag = (name: string) => ({
  name,
  digest: `sha256:${'a'.repeat(64)}`,
  createdTime: '2023-03-02T23:15:59.8012764Z',
  lastUpdateTime: '2023-03-02T23:15:59.8012764Z',
  signed: false,
  changeableAttributes: { deleteEnabled: true, writeEnabled: false, readEnabled: true, listEnabled: true },
});

function fake(answer: (request: TransportRequest) => Response): { transport: Transport; requests: TransportRequest[] } {
  const requests: TransportRequest[] = [];
  return { requests, transport: async (request) => (requests.push(request), answer(request)) };
}

describe('AcrRegistryClient over a Transport', () => {
  it('lists tags newest first, one request per page, with scopes and no SDK Authorization', async () => {
    const { transport, requests } = fake((request) => {
      const url = new URL(request.url);
      const first = !url.searchParams.has('last');
      const body = { registry: HOST, imageName: 'team/app', tags: first ? [tag('v2'), tag('v1')] : [tag('v0')] };
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (first) headers.link = '</acr/v1/team/app/_tags?last=v1&n=2&orderby=timedesc>; rel="next"';
      return new Response(JSON.stringify(body), { status: 200, headers });
    });
    const client = new AcrRegistryClient({ loginServer: HOST, transport });
    const page1 = await client.listTags('team/app', { pageSize: 2 });
    expect(page1.items.map((t) => t.name)).toEqual(['v2', 'v1']);
    expect(page1.items[0]).toMatchObject({ digest: `sha256:${'a'.repeat(64)}`, attributes: { writeEnabled: false, deleteEnabled: true } });
    expect(page1.items[0]!.createdTime?.toISOString()).toBe('2023-03-02T23:15:59.801Z');
    expect(page1.next).toBe('/acr/v1/team/app/_tags?last=v1&n=2&orderby=timedesc');
    const page2 = await client.listTags('team/app', { pageSize: 2, cursor: page1.next });
    expect(page2).toEqual({ items: [expect.objectContaining({ name: 'v0' })], next: undefined });

    expect(requests).toHaveLength(2);
    const first = new URL(requests[0]!.url);
    expect(first.origin).toBe(`https://${HOST}`);
    expect(first.pathname).toBe('/acr/v1/team%2Fapp/_tags');
    expect(first.searchParams.get('orderby')).toBe('timedesc');
    expect(first.searchParams.get('n')).toBe('2');
    expect(requests[1]!.url).toBe(`https://${HOST}/acr/v1/team/app/_tags?last=v1&n=2&orderby=timedesc`);
    for (const r of requests) {
      expect(r.scopes).toEqual(['repository:team/app:metadata_read']);
      expect(Object.keys(r.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('authorization');
    }
  });

  it('reports a 401 the transport could not fix without the SDK trying an anonymous token', async () => {
    const { transport, requests } = fake(() =>
      new Response(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }), {
        status: 401,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'www-authenticate': `Bearer realm="https://${HOST}/oauth2/token",service="${HOST}",scope="repository:team/app:metadata_read"`,
        },
      }),
    );
    const client = new AcrRegistryClient({ loginServer: HOST, transport });
    const err = await client.getRepository('team/app').catch((e: unknown) => e);
    expect(RegistryError.is(err, 'UNAUTHORIZED')).toBe(true);
    expect((err as RegistryError).status).toBe(401);
    expect((err as Error).message).toMatch(/^getting myreg\.azurecr\.io\/team\/app: GET https:\/\/myreg\.azurecr\.io\/acr\/v1\/team%2Fapp/);
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/acr/v1/team%2Fapp']);
  });

  it('sends PATCH bodies and maps attributes both ways', async () => {
    const { transport, requests } = fake(() => Response.json({ registry: HOST, imageName: 'team/app', tag: tag('v1') }));
    const client = new AcrRegistryClient({ loginServer: HOST, transport });
    const updated = await client.setTagAttributes('team/app', 'v1', { writeEnabled: false });
    expect(updated.attributes?.writeEnabled).toBe(false);
    expect(requests[0]!.method).toBe('PATCH');
    expect(JSON.parse(String(requests[0]!.body))).toEqual({ writeEnabled: false });
    expect(requests[0]!.scopes).toEqual(['repository:team/app:metadata_write']);
  });
});

/** A 200 JSON answer whose body stops with undici's "terminated" after `cutAt` bytes (or arrives whole). */
function jsonAnswer(url: string, body: unknown, cutAt?: number): Response {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  let sent = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        return controller.enqueue(bytes.subarray(0, cutAt ?? bytes.length));
      }
      if (cutAt === undefined) controller.close();
      else controller.error(new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
    },
  });
  const response = new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } });
  // As the undici transport's responses do.
  return Object.defineProperty(response, 'url', { value: url });
}

describe('bodies read by the adapter', () => {
  const body = { registry: HOST, imageName: 'team/app', tags: [tag('v2'), tag('v1')] };

  it('sends a GET whose body is cut mid-read once more, and the page completes', async () => {
    let n = 0;
    const { transport, requests } = fake((r) => jsonAnswer(r.url, body, ++n === 1 ? 40 : undefined));
    const page = await new AcrRegistryClient({ loginServer: HOST, transport }).listTags('team/app');
    expect(page.items.map((t) => t.name)).toEqual(['v2', 'v1']);
    expect(requests).toHaveLength(2);
  });

  it('fails with NetworkError CONNECTION_RESET naming the page when the body is cut twice', async () => {
    const { transport, requests } = fake((r) => jsonAnswer(r.url, body, 40));
    const err = await new AcrRegistryClient({ loginServer: HOST, transport }).listTags('team/app').catch((e: unknown) => e);
    expect(NetworkError.is(err, 'CONNECTION_RESET')).toBe(true);
    expect((err as Error).message).toMatch(/^GET https:\/\/myreg\.azurecr\.io\/acr\/v1\/team%2Fapp\/_tags(\?\S*)?: connection closed while reading the answer to GET \/acr\/v1\/team%2Fapp\/_tags \(40 bytes in\)$/);
    expect(requests).toHaveLength(2);
  });

  it('does not send a PATCH again when its answer is cut', async () => {
    const { transport, requests } = fake((r) => jsonAnswer(r.url, { registry: HOST, imageName: 'team/app', tag: tag('v1') }, 10));
    const err = await new AcrRegistryClient({ loginServer: HOST, transport }).setTagAttributes('team/app', 'v1', { writeEnabled: false }).catch((e: unknown) => e);
    expect(NetworkError.is(err, 'CONNECTION_RESET')).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('refuses a body over the cap, naming what was read', async () => {
    const { transport } = fake((r) => jsonAnswer(r.url, body));
    const client = createTransportHttpClient(transport, { maxBodyBytes: 100 });
    const request = createPipelineRequest({ url: `https://${HOST}/acr/v1/team%2Fapp/_tags`, method: 'GET' });
    const err = await client.sendRequest(request).catch((e: unknown) => e);
    expect(ManifestError.is(err, 'TOO_LARGE')).toBe(true);
    expect((err as Error).message).toBe('the answer to GET /acr/v1/team%2Fapp/_tags is more than the 100 bytes allowed');
  });
});

describe('acrScopesFor', () => {
  it.each([
    ['GET', '/acr/v1/_catalog?n=1', 'registry:catalog:*'],
    ['GET', '/acr/v1/library%2Fhello-world/_tags?orderby=timedesc', 'repository:library/hello-world:metadata_read'],
    ['GET', '/acr/v1/library/hello-world/_manifests/sha256%3Aabc', 'repository:library/hello-world:metadata_read'],
    ['PATCH', '/acr/v1/app/_tags/v1', 'repository:app:metadata_write'],
    ['DELETE', '/acr/v1/app/_tags/v1', 'repository:app:delete'],
    ['DELETE', '/acr/v1/a/b', 'repository:a/b:delete'],
    ['GET', '/acr/v1/a/b', 'repository:a/b:metadata_read'],
    ['DELETE', '/v2/a/b/manifests/sha256:abc', 'repository:a/b:delete'],
    ['HEAD', '/v2/a/manifests/v1', 'repository:a:pull'],
    ['PUT', '/v2/a/manifests/v1', 'repository:a:pull,push'],
  ])('%s %s needs %s', (method, path, scope) => {
    expect(acrScopesFor(method, `https://${HOST}${path}`)).toEqual([scope]);
  });

  it('leaves unknown paths to the challenge', () => {
    expect(acrScopesFor('GET', `https://${HOST}/v2/`)).toBeUndefined();
  });
});
