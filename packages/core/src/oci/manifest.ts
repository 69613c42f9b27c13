/**
 * Parsing manifests from the wire: size-capped, JSON-checked, and validated against the media type
 * the registry declared, so a crafted response cannot pass an index off as an image or smuggle a
 * malformed descriptor into a copy.
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pushing-manifests
 */
import { isValidDigest } from './digest';
import { baseMediaType, isImageManifestMediaType, isIndexMediaType, MediaType } from './media-types';
import type { Descriptor, ImageIndex, ImageManifest, Manifest } from './types';

/** Manifests larger than this are refused; the distribution spec lets registries cap at 4 MiB. */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

/** Why manifest bytes were refused. */
export type ManifestErrorCode = 'TOO_LARGE' | 'INVALID_JSON' | 'UNSUPPORTED_MEDIA_TYPE' | 'MEDIA_TYPE_MISMATCH' | 'INVALID_MANIFEST';

/** Manifest bytes that are not what their media type says. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  constructor(readonly code: ManifestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  static is(err: unknown, code?: ManifestErrorCode): err is ManifestError {
    return err instanceof ManifestError && (code === undefined || err.code === code);
  }
}

/**
 * Parses manifest bytes and validates them against `mediaType` (a Content-Type; parameters are
 * ignored). When `mediaType` is undefined, empty or `application/json`, the body's own `mediaType`
 * field (or its shape, for OCI manifests that omit it) decides. The result has `mediaType` set.
 *
 * @throws ManifestError for bytes over {@link MANIFEST_MAX_BYTES}, invalid JSON, unknown media types,
 *   a body whose `mediaType` contradicts the declared one, or missing/malformed fields.
 */
export function parseManifest(bytes: Uint8Array | string, mediaType?: string): Manifest {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > MANIFEST_MAX_BYTES) {
    throw new ManifestError('TOO_LARGE', `manifest is ${size} bytes, more than the ${MANIFEST_MAX_BYTES} bytes allowed`);
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw new ManifestError('INVALID_JSON', `manifest is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isObject(json)) throw new ManifestError('INVALID_MANIFEST', 'manifest is not a JSON object');
  const type = resolveMediaType(json, mediaType);
  if (json.schemaVersion !== 2) {
    throw new ManifestError('INVALID_MANIFEST', `${type}: schemaVersion must be 2, got ${JSON.stringify(json.schemaVersion)}`);
  }
  if (isIndexMediaType(type)) validateIndex(json, type);
  else validateImageManifest(json, type);
  return { ...(json as unknown as Manifest), mediaType: type };
}

function resolveMediaType(json: Record<string, unknown>, declared: string | undefined): string {
  const body = json.mediaType;
  if (body !== undefined && typeof body !== 'string') {
    throw new ManifestError('INVALID_MANIFEST', 'manifest field "mediaType" must be a string');
  }
  const base = declared === undefined ? '' : baseMediaType(declared);
  if (base === '' || base === 'application/json') {
    const guessed = body ?? ('manifests' in json ? MediaType.OciIndex : MediaType.OciManifest);
    if (!isIndexMediaType(guessed) && !isImageManifestMediaType(guessed)) {
      throw new ManifestError('UNSUPPORTED_MEDIA_TYPE', `unsupported manifest media type ${JSON.stringify(guessed)}`);
    }
    return guessed;
  }
  if (!isIndexMediaType(base) && !isImageManifestMediaType(base)) {
    throw new ManifestError('UNSUPPORTED_MEDIA_TYPE', `unsupported manifest media type ${JSON.stringify(base)}`);
  }
  if (body !== undefined && body !== base) {
    throw new ManifestError('MEDIA_TYPE_MISMATCH', `manifest declared as ${base} says it is ${JSON.stringify(body)}`);
  }
  return base;
}

function validateImageManifest(json: Record<string, unknown>, type: string): asserts json is Record<string, unknown> & ImageManifest {
  if ('manifests' in json) throw new ManifestError('MEDIA_TYPE_MISMATCH', `${type} must not have "manifests" (is it an index?)`);
  checkDescriptor(json.config, `${type} "config"`);
  if (!Array.isArray(json.layers)) throw new ManifestError('INVALID_MANIFEST', `${type}: "layers" must be an array`);
  json.layers.forEach((layer, i) => checkDescriptor(layer, `${type} "layers[${i}]"`));
  checkCommon(json, type);
}

function validateIndex(json: Record<string, unknown>, type: string): asserts json is Record<string, unknown> & ImageIndex {
  if ('layers' in json || 'config' in json) {
    throw new ManifestError('MEDIA_TYPE_MISMATCH', `${type} must not have "config" or "layers" (is it an image manifest?)`);
  }
  if (!Array.isArray(json.manifests)) throw new ManifestError('INVALID_MANIFEST', `${type}: "manifests" must be an array`);
  json.manifests.forEach((entry, i) => checkDescriptor(entry, `${type} "manifests[${i}]"`));
  checkCommon(json, type);
}

function checkCommon(json: Record<string, unknown>, type: string): void {
  if (json.subject !== undefined) checkDescriptor(json.subject, `${type} "subject"`);
  if (json.artifactType !== undefined && typeof json.artifactType !== 'string') {
    throw new ManifestError('INVALID_MANIFEST', `${type}: "artifactType" must be a string`);
  }
  checkAnnotations(json.annotations, type);
}

function checkDescriptor(value: unknown, where: string): asserts value is Descriptor {
  const fail = (what: string): never => {
    throw new ManifestError('INVALID_MANIFEST', `${where}: ${what}`);
  };
  if (!isObject(value)) fail('must be a descriptor object');
  const d = value as Record<string, unknown>;
  if (typeof d.mediaType !== 'string' || d.mediaType === '') fail('"mediaType" must be a non-empty string');
  if (typeof d.digest !== 'string' || !isValidDigest(d.digest)) fail(`"digest" ${JSON.stringify(d.digest)} is not a valid digest`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) fail('"size" must be a non-negative integer');
  if (d.platform !== undefined) {
    const p = d.platform;
    if (!isObject(p) || typeof p.os !== 'string' || typeof p.architecture !== 'string') {
      fail('"platform" must have string "os" and "architecture"');
    }
  }
  if (d.urls !== undefined && (!Array.isArray(d.urls) || d.urls.some((u) => typeof u !== 'string'))) {
    fail('"urls" must be an array of strings');
  }
  checkAnnotations(d.annotations, where);
}

function checkAnnotations(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new ManifestError('INVALID_MANIFEST', `${where}: "annotations" must map strings to strings`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
