import { describe, expect, it } from 'vitest';
import { MANIFEST_MAX_BYTES, ManifestError, parseManifest } from '../../src/oci/manifest';
import { isIndexMediaType, isManifestMediaType, MANIFEST_ACCEPT, MediaType } from '../../src/oci/media-types';
import { isImageIndex, type ImageIndex, type ImageManifest } from '../../src/oci/types';

const D = (n: string) => `sha256:${n.repeat(64)}`;
const config = { mediaType: MediaType.OciConfig, digest: D('c'), size: 100 };
const layer = { mediaType: MediaType.OciLayerGzip, digest: D('1'), size: 2000 };
const image: ImageManifest = { schemaVersion: 2, mediaType: MediaType.OciManifest, config, layers: [layer] };
const index: ImageIndex = {
  schemaVersion: 2,
  mediaType: MediaType.OciIndex,
  manifests: [{ mediaType: MediaType.OciManifest, digest: D('a'), size: 500, platform: { os: 'linux', architecture: 'amd64' } }],
};
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('parseManifest: accepted', () => {
  it('parses an OCI image manifest declared as such (Content-Type parameters ignored)', () => {
    const m = parseManifest(json(image), `${MediaType.OciManifest}; charset=utf-8`);
    expect(m).toEqual(image);
    expect(isImageIndex(m)).toBe(false);
  });

  it('parses an index and a Docker manifest list', () => {
    expect(isImageIndex(parseManifest(json(index), MediaType.OciIndex))).toBe(true);
    const list = { ...index, mediaType: MediaType.DockerManifestList };
    expect(parseManifest(JSON.stringify(list), MediaType.DockerManifestList).mediaType).toBe(MediaType.DockerManifestList);
  });

  it('fills in mediaType from the declared type when the OCI body omits it', () => {
    const { mediaType: _m, ...bare } = image;
    expect(parseManifest(json(bare), MediaType.OciManifest).mediaType).toBe(MediaType.OciManifest);
  });

  it('uses the body (or its shape) when the declared type is missing or application/json', () => {
    const docker = { ...image, mediaType: MediaType.DockerManifest, config: { ...config, mediaType: MediaType.DockerConfig } };
    expect(parseManifest(json(docker), 'application/json').mediaType).toBe(MediaType.DockerManifest);
    const { mediaType: _m, ...bareIndex } = index;
    expect(parseManifest(json(bareIndex)).mediaType).toBe(MediaType.OciIndex);
  });

  it('keeps artifactType, subject and annotations', () => {
    const artifact = {
      ...image,
      artifactType: 'application/vnd.example.sbom',
      config: { mediaType: MediaType.OciEmpty, digest: D('4'), size: 2, data: 'e30=' },
      subject: { mediaType: MediaType.OciManifest, digest: D('5'), size: 10 },
      annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
    };
    expect(parseManifest(json(artifact), MediaType.OciManifest)).toEqual(artifact);
  });
});

describe('parseManifest: refused', () => {
  const cases: Array<[string, Uint8Array | string, string | undefined, ManifestError['code'], string]> = [
    ['over 4 MiB', new Uint8Array(MANIFEST_MAX_BYTES + 1), MediaType.OciManifest, 'TOO_LARGE', 'more than the 4194304 bytes'],
    ['not JSON', '{"schemaVersion":2,', MediaType.OciManifest, 'INVALID_JSON', 'not valid JSON'],
    ['a JSON array', '[]', MediaType.OciManifest, 'INVALID_MANIFEST', 'not a JSON object'],
    ['an unknown media type', JSON.stringify(image), 'text/html', 'UNSUPPORTED_MEDIA_TYPE', '"text/html"'],
    ['an unknown body media type', JSON.stringify({ ...image, mediaType: 'x/y' }), undefined, 'UNSUPPORTED_MEDIA_TYPE', '"x/y"'],
    ['an index declared as image', JSON.stringify(index), MediaType.OciManifest, 'MEDIA_TYPE_MISMATCH', 'says it is'],
    ['an index body without mediaType declared as image', JSON.stringify({ ...index, mediaType: undefined }), MediaType.OciManifest, 'MEDIA_TYPE_MISMATCH', 'must not have "manifests"'],
    ['an image declared as index', JSON.stringify({ ...image, mediaType: undefined }), MediaType.OciIndex, 'MEDIA_TYPE_MISMATCH', 'must not have "config" or "layers"'],
    ['schemaVersion 1', JSON.stringify({ ...image, schemaVersion: 1 }), MediaType.OciManifest, 'INVALID_MANIFEST', 'schemaVersion must be 2'],
    ['no config', JSON.stringify({ ...image, config: undefined }), MediaType.OciManifest, 'INVALID_MANIFEST', '"config": must be a descriptor'],
    ['layers not an array', JSON.stringify({ ...image, layers: {} }), MediaType.OciManifest, 'INVALID_MANIFEST', '"layers" must be an array'],
    ['a bad layer digest', JSON.stringify({ ...image, layers: [{ ...layer, digest: 'sha256:xyz' }] }), MediaType.OciManifest, 'INVALID_MANIFEST', '"layers[0]": "digest" "sha256:xyz"'],
    ['a negative size', JSON.stringify({ ...image, layers: [{ ...layer, size: -1 }] }), MediaType.OciManifest, 'INVALID_MANIFEST', 'non-negative integer'],
    ['a string size', JSON.stringify({ ...image, config: { ...config, size: '5' } }), MediaType.OciManifest, 'INVALID_MANIFEST', '"size"'],
    ['no mediaType in a descriptor', JSON.stringify({ ...image, config: { ...config, mediaType: '' } }), MediaType.OciManifest, 'INVALID_MANIFEST', '"mediaType" must be'],
    ['a bad platform', JSON.stringify({ ...index, manifests: [{ ...index.manifests[0], platform: { os: 'linux' } }] }), MediaType.OciIndex, 'INVALID_MANIFEST', '"platform"'],
    ['non-string annotations', JSON.stringify({ ...image, annotations: { a: 1 } }), MediaType.OciManifest, 'INVALID_MANIFEST', '"annotations"'],
    ['a bad subject', JSON.stringify({ ...image, subject: { digest: D('1') } }), MediaType.OciManifest, 'INVALID_MANIFEST', '"subject"'],
    ['a numeric artifactType', JSON.stringify({ ...image, artifactType: 5 }), MediaType.OciManifest, 'INVALID_MANIFEST', '"artifactType"'],
    ['a numeric mediaType', JSON.stringify({ ...image, mediaType: 5 }), MediaType.OciManifest, 'INVALID_MANIFEST', '"mediaType" must be a string'],
  ];
  it.each(cases)('%s', (_name, bytes, mediaType, code, message) => {
    let caught: unknown;
    try {
      parseManifest(bytes, mediaType);
    } catch (err) {
      caught = err;
    }
    expect(ManifestError.is(caught, code)).toBe(true);
    expect((caught as Error).message).toContain(message);
  });
});

describe('media types', () => {
  it('classifies manifest media types, ignoring parameters', () => {
    expect(isIndexMediaType(`${MediaType.DockerManifestList}; x=y`)).toBe(true);
    expect(isIndexMediaType(MediaType.OciManifest)).toBe(false);
    expect(isManifestMediaType(MediaType.DockerManifest)).toBe(true);
    expect(isManifestMediaType(MediaType.OciLayerZstd)).toBe(false);
    expect(isManifestMediaType(undefined)).toBe(false);
    for (const t of [MediaType.OciIndex, MediaType.OciManifest, MediaType.DockerManifest, MediaType.DockerManifestList]) {
      expect(MANIFEST_ACCEPT).toContain(t);
    }
  });
});
