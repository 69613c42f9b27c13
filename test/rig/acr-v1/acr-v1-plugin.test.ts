/**
 * The /acr/v1 stand-in served by the real rig (front + Distribution 2.8): listing order and paging,
 * properties, locks, deletes, permissions. Images are pushed with plain fetch through the front.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../rig';
import { removeTagFiles } from './storage-files';
import { basic, pushImage, pushIndex, type PushTarget } from './support/push-image';

let rig: Rig;
let admin: PushTarget;

const get = (path: string, init: RequestInit = {}) =>
  fetch(`${rig.url}${path}`, { ...init, headers: { authorization: admin.authorization, ...(init.headers as Record<string, string>) } });
const tagNames = async (repository: string) =>
  ((await (await get(`/acr/v1/${repository}/_tags`)).json()) as { tags: Array<{ name: string }> }).tags.map((t) => t.name);
const patch = (path: string, body: object) => get(path, { method: 'PATCH', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  rig = await startRig();
  admin = { url: rig.url, authorization: basic(rig.admin.username, rig.admin.password) };
});
afterAll(async () => {
  await rig?.stop();
});

describe('listing', () => {
  it('lists tags newest first in pages with ACR Link headers', async () => {
    for (const tag of ['b1', 'a2', 'c3']) await pushImage(admin, 'team/app', tag);
    const first = await get('/acr/v1/team%2Fapp/_tags?orderby=timedesc&n=2&api-version=2021-07-01');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await first.json()) as { registry: string; imageName: string; tags: Array<{ name: string; createdTime: string }> };
    expect(body.registry).toBe(rig.loginServer);
    expect(body.imageName).toBe('team/app');
    expect(body.tags.map((t) => t.name)).toEqual(['c3', 'a2']);
    expect(body.tags[0]!.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    const link = first.headers.get('link');
    expect(link).toBe('</acr/v1/team/app/_tags?last=a2&n=2&orderby=timedesc>; rel="next"');
    const second = await get(/<([^>]+)>/.exec(link!)![1]!);
    expect(((await second.json()) as { tags: Array<{ name: string }> }).tags.map((t) => t.name)).toEqual(['b1']);
    expect(second.headers.get('link')).toBeNull();

    const byName = (await (await get('/acr/v1/team/app/_tags')).json()) as { tags: Array<{ name: string }> };
    expect(byName.tags.map((t) => t.name)).toEqual(['a2', 'b1', 'c3']);
    const oldest = (await (await get('/acr/v1/team/app/_tags?orderby=timeasc')).json()) as { tags: Array<{ name: string }> };
    expect(oldest.tags.map((t) => t.name)).toEqual(['b1', 'a2', 'c3']);
  });

  it('pages the catalog with the recorded Link format', async () => {
    await pushImage(admin, 'zeta', 'v1');
    const res = await get('/acr/v1/_catalog?n=1');
    expect(res.status).toBe(200);
    const page = (await res.json()) as { repositories: string[] };
    expect(page.repositories).toHaveLength(1);
    expect(res.headers.get('link')).toBe(`</acr/v1/_catalog?last=${encodeURIComponent(page.repositories[0]!)}&n=1&orderby=>; rel="next"`);
    const all = (await (await get('/acr/v1/_catalog')).json()) as { repositories: string[] };
    expect(all.repositories).toEqual([...all.repositories].sort());
    expect(all.repositories).toEqual(expect.arrayContaining(['team/app', 'zeta']));
  });

  it('answers 400 PAGINATION_NUMBER_INVALID for a bad n or orderby on every listing', async () => {
    await pushImage(admin, 'paging/bad', 'v1');
    for (const path of ['/acr/v1/_catalog?n=0', '/acr/v1/paging/bad/_tags?n=x', '/acr/v1/paging/bad/_manifests?orderby=random']) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { errors: Array<{ code: string; message: string }> };
      expect(body.errors[0]?.code, path).toBe('PAGINATION_NUMBER_INVALID');
    }
  });

  it('filters tags by digest and lists what reached Distribution without the front', async () => {
    const image = await pushImage(admin, 'filter/me', 'one');
    // Listed once first: later reads must still notice changes made behind the front's back.
    expect(await tagNames('filter/me')).toEqual(['one']);
    const direct = await rig.distributionFetch(`/v2/filter/me/manifests/two`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: JSON.stringify(image.manifest),
    });
    expect(direct.status).toBe(201);
    const res = await get(`/acr/v1/filter/me/_tags?digest=${encodeURIComponent(image.digest)}`);
    const tags = ((await res.json()) as { tags: Array<{ name: string; digest: string }> }).tags;
    expect(tags.map((t) => t.name)).toEqual(['one', 'two']);
    expect(new Set(tags.map((t) => t.digest))).toEqual(new Set([image.digest]));
    await removeTagFiles(rig.storageDir, 'filter/me', 'one');
    expect(await tagNames('filter/me')).toEqual(['two']);
  });
});

describe('properties', () => {
  it('reports repository, tag and manifest properties with platform and size', async () => {
    const image = await pushImage(admin, 'props/img', 'v1', { architecture: 'arm64', os: 'linux' });
    const repo = (await (await get('/acr/v1/props%2Fimg')).json()) as Record<string, unknown>;
    expect(Object.keys(repo)).toEqual(['registry', 'imageName', 'createdTime', 'lastUpdateTime', 'manifestCount', 'tagCount', 'changeableAttributes']);
    expect(repo).toMatchObject({ imageName: 'props/img', manifestCount: 1, tagCount: 1 });
    const tag = (await (await get('/acr/v1/props/img/_tags/v1')).json()) as { tag: { digest: string } };
    expect(tag.tag.digest).toBe(image.digest);
    const manifest = (await (await get(`/acr/v1/props%2Fimg/_manifests/${encodeURIComponent(image.digest)}`)).json()) as { manifest: Record<string, unknown> };
    expect(manifest.manifest).toMatchObject({ digest: image.digest, imageSize: image.imageSize, architecture: 'arm64', os: 'linux', tags: ['v1'] });
    expect(manifest.manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
  });

  it('reports references and the summed size of an index', async () => {
    const index = await pushIndex(admin, 'props/multi', 'latest');
    const res = await get(`/acr/v1/props/multi/_manifests/${index.digest}`);
    const { manifest } = (await res.json()) as { manifest: { imageSize: number; references: unknown[]; architecture?: string } };
    expect(manifest.references).toEqual([
      { digest: index.children[0]!.digest, architecture: 'amd64', os: 'linux' },
      { digest: index.children[1]!.digest, architecture: 'arm64', os: 'linux' },
    ]);
    expect(manifest.imageSize).toBe(index.children[0]!.imageSize + index.children[1]!.imageSize);
    expect(manifest.architecture).toBeUndefined();
    const list = (await (await get('/acr/v1/props/multi/_manifests?orderby=timedesc')).json()) as { manifests: Array<{ digest: string; tags?: string[] }> };
    expect(list.manifests[0]).toMatchObject({ digest: index.digest, tags: ['latest'] });
    expect(list.manifests).toHaveLength(3);
  });

  it('answers ACR errors for unknown names, tags and malformed digests', async () => {
    const name = await get('/acr/v1/wrong-name');
    expect(name.status).toBe(404);
    expect(await name.json()).toEqual({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository "wrong-name" is not found' }] });
    await pushImage(admin, 'errs', 'v1');
    const tag = await get('/acr/v1/errs/_tags/nope');
    expect(await tag.json()).toEqual({ errors: [{ code: 'TAG_UNKNOWN', message: 'the specified tag does not exist' }] });
    const digest = await get('/acr/v1/errs/_manifests/wrong-digest');
    expect(digest.status).toBe(404);
    expect(digest.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await digest.text()).toBe('404 page not found\n');
  });
});

describe('locks and deletes', () => {
  it('refuses overwriting and deleting a write-locked tag until it is unlocked', async () => {
    const first = await pushImage(admin, 'locked/app', 'v1');
    const locked = await patch('/acr/v1/locked%2Fapp/_tags/v1', { writeEnabled: false });
    expect(locked.status).toBe(200);
    expect(((await locked.json()) as { tag: { changeableAttributes: object } }).tag.changeableAttributes).toEqual({
      deleteEnabled: true, writeEnabled: false, readEnabled: true, listEnabled: true,
    });
    await expect(pushImage(admin, 'locked/app', 'v1')).rejects.toMatchObject({ status: 405 });
    const del = await get('/acr/v1/locked/app/_tags/v1', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(((await del.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('REGISTRY_DISALLOWED_OPERATION');
    const delManifest = await get(`/v2/locked/app/manifests/${first.digest}`, { method: 'DELETE' });
    expect(delManifest.status).toBe(405);
    expect((await (await get('/acr/v1/locked/app/_tags/v1')).json()) as object).toMatchObject({ tag: { digest: first.digest } });

    await patch('/acr/v1/locked/app/_tags/v1', { writeEnabled: true });
    const second = await pushImage(admin, 'locked/app', 'v1');
    const tag = (await (await get('/acr/v1/locked/app/_tags/v1')).json()) as { tag: { digest: string; createdTime: string; lastUpdateTime: string } };
    expect(tag.tag.digest).toBe(second.digest);
    expect(tag.tag.lastUpdateTime > tag.tag.createdTime).toBe(true);
  });

  it('deletes a tag with 202 and the digest header, and Distribution then 404s it', async () => {
    const image = await pushImage(admin, 'del/tag', 'gone');
    await pushImage(admin, 'del/tag', 'kept');
    const res = await get('/acr/v1/del%2Ftag/_tags/gone?api-version=2021-07-01', { method: 'DELETE' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-ms-int-docker-content-digest')).toBe(image.digest);
    expect(await res.text()).toBe('');
    const pulled = await get('/v2/del/tag/manifests/gone', { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    expect(pulled.status).toBe(404);
    expect((await get('/acr/v1/del/tag/_tags/gone')).status).toBe(404);
    const list = (await (await get('/acr/v1/del/tag/_tags')).json()) as { tags: Array<{ name: string }> };
    expect(list.tags.map((t) => t.name)).toEqual(['kept']);
    // The manifest stays (ACR's tag delete untags only).
    expect((await get(`/acr/v1/del/tag/_manifests/${image.digest}`)).status).toBe(200);
  });

  it('deletes a repository with 202 and the deleted lists', async () => {
    const a = await pushImage(admin, 'del/repo', 'a');
    const b = await pushImage(admin, 'del/repo', 'b');
    const res = await get('/acr/v1/del/repo', { method: 'DELETE' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { manifestsDeleted: string[]; tagsDeleted: string[] };
    expect(new Set(body.manifestsDeleted)).toEqual(new Set([a.digest, b.digest]));
    expect(body.tagsDeleted).toEqual(['a', 'b']);
    expect((await get('/acr/v1/del/repo')).status).toBe(404);
    const catalog = (await (await get('/acr/v1/_catalog')).json()) as { repositories: string[] };
    expect(catalog.repositories).not.toContain('del/repo');
    // The name can be pushed again afterwards.
    await pushImage(admin, 'del/repo', 'again');
    expect(((await (await get('/acr/v1/del/repo/_tags')).json()) as { tags: unknown[] }).tags).toHaveLength(1);
  });

  it('hides list-disabled tags and refuses pulls of read-disabled ones', async () => {
    await pushImage(admin, 'hide/me', 'shown');
    await pushImage(admin, 'hide/me', 'hidden');
    await patch('/acr/v1/hide/me/_tags/hidden', { listEnabled: false, readEnabled: false });
    const list = (await (await get('/acr/v1/hide/me/_tags')).json()) as { tags: Array<{ name: string }> };
    expect(list.tags.map((t) => t.name)).toEqual(['shown']);
    const pull = await get('/v2/hide/me/manifests/hidden', { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    expect(pull.status).toBe(405);
    expect((await get('/acr/v1/hide/me/_tags/hidden')).status).toBe(200);
  });
});

describe('permissions', () => {
  it('challenges anonymous callers with the scope of the operation', async () => {
    const res = await fetch(`${rig.url}/acr/v1/team%2Fapp/_tags`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="${rig.url}/oauth2/token",service="${rig.loginServer}",scope="repository:team/app:metadata_read"`,
    );
    expect(await res.json()).toEqual({
      errors: [{
        code: 'UNAUTHORIZED',
        message: 'authentication required, visit https://aka.ms/acr/authorization for more information.',
        detail: [{ Type: 'repository', Name: 'team/app', Action: 'metadata_read' }],
      }],
    });
    const catalog = await fetch(`${rig.url}/acr/v1/_catalog`);
    expect(catalog.headers.get('www-authenticate')).toContain('scope="registry:catalog:*"');
  });

  it('refuses a read-only token metadata_write and delete with insufficient_scope', async () => {
    rig.addRepositoryToken({ name: 'reader', password: 'reader-pass-123456', repositories: { 'team/app': ['pull', 'metadata_read'] } });
    const reader = basic('reader', 'reader-pass-123456');
    const ok = await fetch(`${rig.url}/acr/v1/team/app/_tags`, { headers: { authorization: reader } });
    expect(ok.status).toBe(200);
    const write = await fetch(`${rig.url}/acr/v1/team/app/_tags/a2`, { method: 'PATCH', body: '{"writeEnabled":false}', headers: { authorization: reader } });
    expect(write.status).toBe(401);
    expect(write.headers.get('www-authenticate')).toMatch(/scope="repository:team\/app:metadata_write",error="insufficient_scope"$/);
    const del = await fetch(`${rig.url}/acr/v1/team/app`, { method: 'DELETE', headers: { authorization: reader } });
    expect(del.status).toBe(401);
    const other = await fetch(`${rig.url}/acr/v1/zeta/_tags`, { headers: { authorization: reader } });
    expect(other.status).toBe(401);
  });
});
