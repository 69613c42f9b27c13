/**
 * Fidelity: the recorded real-ACR traffic (Azure SDK for JS and Go test recordings) and the 2021-07-01
 * REST spec examples, replayed against the rig's /acr/v1 stand-in. Content the recordings assume is
 * pushed first; recorded digests are mapped to ours. Compared: status, Content-Type, WWW-Authenticate,
 * Link, X-Ms-Int-Docker-Content-Digest, and body shapes (keys in order and types; error bodies exactly).
 * /oauth2/exchange steps are skipped (they need a real Entra token; the rig's own tests cover them) and
 * the replayed calls authenticate as the admin user instead.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../rig';
import { basic, pushImage, pushIndex, pushManifest, type PushTarget } from './support/push-image';
import {
  GO_RECORDINGS, JS_RECORDINGS, coversShape, loadExample, loadRecording, recordedHeader, shapeOf, type RecordedEntry,
} from './support/recording';

const HELLO = 'library/hello-world';
const READER = { name: 'fidelity-reader', password: 'fidelity-reader-password-1' };
const DELETER = { name: 'fidelity-deleter', password: 'fidelity-deleter-password-1' };

let rig: Rig;
let admin: PushTarget;

beforeAll(async () => {
  rig = await startRig({
    anonymousPull: true,
    repositoryTokens: [
      { ...READER, repositories: { [HELLO]: ['pull', 'metadata_read'] } },
      { ...DELETER, repositories: { [HELLO]: ['delete'] } },
    ],
  });
  admin = { url: rig.url, authorization: basic(rig.admin.username, rig.admin.password) };
});
afterAll(async () => {
  await rig?.stop();
});
const UNLOCKED = JSON.stringify({ deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true });

async function adminJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${rig.url}${path}`, { ...init, headers: { authorization: admin.authorization } });
  expect(res.ok, `${init.method ?? 'GET'} ${path}: ${res.status}`).toBe(true);
  return (await res.json()) as T;
}

/** Each test starts from an empty registry: unlock everything, then delete every repository. */
beforeEach(async () => {
  const { repositories } = await adminJson<{ repositories: string[] }>('/acr/v1/_catalog');
  for (const name of repositories) {
    await adminJson(`/acr/v1/${name}`, { method: 'PATCH', body: UNLOCKED });
    const { tags } = await adminJson<{ tags: Array<{ name: string }> }>(`/acr/v1/${name}/_tags`);
    for (const t of tags) await adminJson(`/acr/v1/${name}/_tags/${t.name}`, { method: 'PATCH', body: UNLOCKED });
    const { manifests } = await adminJson<{ manifests: Array<{ digest: string }> }>(`/acr/v1/${name}/_manifests`);
    for (const m of manifests) await adminJson(`/acr/v1/${name}/_manifests/${m.digest}`, { method: 'PATCH', body: UNLOCKED });
    await adminJson(`/acr/v1/${name}`, { method: 'DELETE' });
  }
});

/** The multi-platform hello-world the JS recordings use: one list tagged 7 ways; returns recorded→ours digests. */
async function pushHelloWorldList(): Promise<Record<string, string>> {
  const index = await pushIndex(admin, HELLO, 'latest');
  for (const tag of ['test-delete', 'test1', 'v1', 'v2', 'v3', 'v4']) {
    await pushManifest(admin, HELLO, tag, index.manifest, 'application/vnd.oci.image.index.v1+json');
  }
  return {
    'sha256:6e8b6f026e0b9c419ea0fd02d3905dd0952ad1feea67543f525c73a0a790fefb': index.digest,
    'sha256:40d0cfd0861719208ff9f7747ab3f97844eeca509df705db44a736df863b76af': index.children[1]!.digest,
  };
}

function mapDigests(text: string, digests: Record<string, string>): string {
  let out = text;
  for (const [from, to] of Object.entries(digests)) out = out.replaceAll(from, to).replaceAll(encodeURIComponent(from), encodeURIComponent(to));
  return out;
}

/** A recorded challenge with the recorded registry replaced by the rig. */
function localChallenge(recorded: string): string {
  return recorded.replace(/realm="https:\/\/[^/"]+\/oauth2\/token"/, `realm="${rig.url}/oauth2/token"`).replace(/service="[^"]+"/, `service="${rig.loginServer}"`);
}

async function anonymousToken(entry: RecordedEntry): Promise<string> {
  const form = new URLSearchParams(String(entry.RequestBody));
  form.set('service', rig.loginServer);
  const res = await fetch(`${rig.url}/oauth2/token${new URL(entry.RequestUri).search}`, {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(res.status).toBe(entry.StatusCode);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function compareBody(entry: RecordedEntry, res: Response, label: string, digests: Record<string, string>): Promise<void> {
  const text = await res.text();
  const recorded = entry.ResponseBody;
  if (recorded === null || recorded === undefined) return void expect(text, label).toBe('');
  if (Array.isArray(recorded) && typeof recorded[0] === 'string') return void expect(text, label).toBe(recorded.join(''));
  const body = JSON.parse(text) as unknown;
  if (typeof recorded === 'object' && 'errors' in recorded) {
    return void expect(body, label).toEqual(JSON.parse(mapDigests(JSON.stringify(recorded), digests)));
  }
  expect(shapeOf(body), label).toEqual(shapeOf(recorded));
}

/** Replays the /acr/v1 (and anonymous /oauth2/token) entries of a recording. */
async function replay(entries: RecordedEntry[], digests: Record<string, string> = {}, insufficient?: string): Promise<number> {
  let bearer: string | undefined;
  let replayed = 0;
  for (const entry of entries) {
    const recorded = new URL(entry.RequestUri);
    if (recorded.pathname.startsWith('/oauth2/')) {
      if (String(entry.RequestBody).includes('grant_type=password')) bearer = await anonymousToken(entry);
      continue;
    }
    const challenge = recordedHeader(entry, 'www-authenticate');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (entry.StatusCode !== 401) headers.authorization = bearer ? `Bearer ${bearer}` : admin.authorization;
    else if (challenge?.includes('insufficient_scope')) headers.authorization = insufficient!;
    let body: string | undefined;
    if (entry.RequestBody !== null && entry.RequestBody !== undefined) {
      body = typeof entry.RequestBody === 'string' ? entry.RequestBody : JSON.stringify(entry.RequestBody);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(rig.url + mapDigests(recorded.pathname + recorded.search, digests), { method: entry.RequestMethod, headers, body });
    const label = `${entry.RequestMethod} ${recorded.pathname}${recorded.search} (recorded ${entry.StatusCode})`;
    expect(res.status, label).toBe(entry.StatusCode);
    const contentType = recordedHeader(entry, 'content-type');
    if (contentType) expect(res.headers.get('content-type'), label).toBe(contentType);
    if (challenge) expect(res.headers.get('www-authenticate'), label).toBe(localChallenge(challenge));
    for (const name of ['link', 'x-ms-int-docker-content-digest', 'docker-distribution-api-version']) {
      const value = recordedHeader(entry, name);
      expect(res.headers.get(name) ?? undefined, `${label}: ${name}`).toBe(value === undefined ? undefined : mapDigests(value, digests));
    }
    await compareBody(entry, res, label, digests);
    replayed++;
  }
  return replayed;
}

describe('recorded ACR traffic replayed against the stand-in', () => {
  it('JS: lists repositories by pages (n=1, relative Link, last page without Link)', async () => {
    await pushImage(admin, 'library/busybox', 'latest');
    await pushImage(admin, HELLO, 'latest');
    expect(await replay(loadRecording(`${JS_RECORDINGS}containerregistryclient_tests/recording_should_list_repositories_by_pages.json`))).toBe(3);
  });

  it('JS: lists tags with signed and changeable attributes', async () => {
    const digests = await pushHelloWorldList();
    expect(await replay(loadRecording(`${JS_RECORDINGS}repository_and_artifact_tests/recording_should_list_tags.json`), digests)).toBe(2);
  });

  it('JS: tag properties, then manifest-list properties with references', async () => {
    const digests = await pushHelloWorldList();
    const file = `${JS_RECORDINGS}repository_and_artifact_tests/recording_should_retrive_registry_artifact_properties_for_a_tag.json`;
    expect(await replay(loadRecording(file), digests)).toBe(3);
  });

  it('JS: sets manifest properties after an insufficient_scope step-up', async () => {
    const digests = await pushHelloWorldList();
    const file = `${JS_RECORDINGS}repository_and_artifact_tests/recording_sets_manifest_properties.json`;
    expect(await replay(loadRecording(file), digests, basic(READER.name, READER.password))).toBe(5);
  });

  it('JS: deletes a tag (202 + digest header), then TAG_UNKNOWN', async () => {
    const digests = await pushHelloWorldList();
    const file = `${JS_RECORDINGS}repository_and_artifact_tests/recording_deletes_a_given_tag.json`;
    expect(await replay(loadRecording(file), digests, basic(DELETER.name, DELETER.password))).toBe(4);
  });

  it('JS: lists the catalog with an anonymous token', async () => {
    await pushImage(admin, HELLO, 'latest');
    expect(await replay(loadRecording(`${JS_RECORDINGS}anonymous_access_tests/recording_should_list_repositories_with_anonymous_access.json`))).toBe(2);
  });

  it('Go: deletes a repository (202 with manifestsDeleted and tagsDeleted)', async () => {
    await pushImage(admin, 'hello-world', 'latest');
    expect(await replay(loadRecording(`${GO_RECORDINGS}TestClient_DeleteRepository.json`))).toBe(2);
  });

  it('Go: NAME_UNKNOWN for a wrong repository name, plain-text 404 for a malformed digest', async () => {
    await pushImage(admin, 'hello-world', 'latest');
    expect(await replay(loadRecording(`${GO_RECORDINGS}TestClient_GetRepositoryProperties_wrongName.json`))).toBe(2);
    expect(await replay(loadRecording(`${GO_RECORDINGS}TestClient_GetManifestProperties_wrongDigest.json`))).toBe(1);
  });
});

describe('REST spec examples (2021-07-01) against the stand-in', () => {
  const OLD = '4.7.2-20180905-nanoserver-1803';
  const NEW = '4.7.2-20180906-nanoserver-1803';
  const get = (path: string, init: RequestInit = {}) => fetch(`${rig.url}${path}?api-version=2021-07-01`, { ...init, headers: { authorization: admin.authorization } });
  const patch = (path: string, value: unknown) => get(path, { method: 'PATCH', body: typeof value === 'string' ? value : JSON.stringify(value) });

  async function expectShape(res: Response, example: string, status = 200, exact = true): Promise<void> {
    const expected = loadExample(example).responses[String(status)]!.body;
    expect(res.status, example).toBe(status);
    if (expected === undefined) return;
    const body = (await res.json()) as unknown;
    if (exact) expect(shapeOf(body), example).toEqual(shapeOf(expected));
    else expect(coversShape(shapeOf(body), shapeOf(expected)), `${example}: ${JSON.stringify(body)}`).toBe(true);
  }

  it('serves every metadata example with the example shape', async () => {
    const first = await pushImage(admin, 'nanoserver', OLD, { architecture: 'amd64', os: 'windows' });
    await pushImage(admin, 'nanoserver', NEW, { architecture: 'amd64', os: 'windows' });
    await pushImage(admin, 'test/bash', 'tagName');
    await expectShape(await get('/acr/v1/_catalog'), 'GetRepositoryList');
    await expectShape(await get('/acr/v1/nanoserver'), 'GetRepositoryAttributes');
    await expectShape(await patch('/acr/v1/nanoserver', loadExample('UpdateRepositoryAttributes').parameters.value), 'UpdateRepositoryAttributes');
    // Real ACR adds `signed` to tags, which the older examples lack: extra keys allowed there.
    await expectShape(await get('/acr/v1/nanoserver/_tags'), 'GetTagList', 200, false);
    await expectShape(await get('/acr/v1/test%2Fbash/_tags/tagName'), 'GetTagAttributes', 200, false);
    await expectShape(await patch('/acr/v1/test/bash/_tags/tagName', loadExample('UpdateTagAttributes').parameters.value), 'UpdateTagAttributes', 200, false);
    // Likewise `mediaType` on manifests (real ACR sends it [rec recording_sets_manifest_properties]).
    await expectShape(await get('/acr/v1/nanoserver/_manifests'), 'GetManifestList', 200, false);
    await expectShape(await get(`/acr/v1/nanoserver/_manifests/${encodeURIComponent(first.digest)}`), 'GetManifestAttributes', 200, false);
    const updateManifest = loadExample('UpdateManifestAttributes').parameters.value;
    await expectShape(await patch(`/acr/v1/nanoserver/_manifests/${first.digest}`, updateManifest), 'UpdateManifestAttributes', 200, false);
    const locked = (await (await get(`/acr/v1/nanoserver/_manifests/${first.digest}`)).json()) as { manifest: { changeableAttributes: { writeEnabled: boolean } } };
    expect(locked.manifest.changeableAttributes.writeEnabled).toBe(false);
  });

  it('answers the delete examples with 202 and then 404', async () => {
    await pushImage(admin, 'nanoserver', OLD);
    await expectShape(await get(`/acr/v1/nanoserver/_tags/${OLD}`, { method: 'DELETE' }), 'DeleteTag', 202);
    await expectShape(await get(`/acr/v1/nanoserver/_tags/${OLD}`, { method: 'DELETE' }), 'DeleteTag', 404);
    await expectShape(await get('/acr/v1/nanoserver', { method: 'DELETE' }), 'DeleteAcrRepository', 202);
    await expectShape(await get('/acr/v1/nanoserver', { method: 'DELETE' }), 'DeleteAcrRepository', 404);
  });
});
