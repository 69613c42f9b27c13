/**
 * Content digests (`sha256:<hex>`, `sha512:<hex>`): computing them from bytes or streams, parsing
 * them, and verifying content against them.
 *
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.1/descriptor.md#digests
 */
import { createHash, type Hash } from 'node:crypto';

/** The digest algorithms registries accept. */
export type DigestAlgorithm = 'sha256' | 'sha512';

/** Hex length per supported algorithm. */
export const DIGEST_HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { sha256: 64, sha512: 128 };

/** Large buffers are hashed in slices of this size so one call never holds the hash over a huge copy. */
const CHUNK_SIZE = 1024 * 1024;

/** A digest split into its algorithm and lowercase hex. */
export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** A string that is not a well-formed digest of a supported algorithm. */
export class InvalidDigestError extends Error {
  override readonly name = 'InvalidDigestError';
  constructor(readonly input: string, readonly reason: string) {
    super(`invalid digest ${JSON.stringify(input)}: ${reason}`);
  }

  static is(err: unknown): err is InvalidDigestError {
    return err instanceof InvalidDigestError;
  }
}

/** Content whose digest is not the one it was asked for by. */
export class DigestMismatchError extends Error {
  override readonly name = 'DigestMismatchError';
  constructor(readonly expected: string, readonly actual: string, readonly what = 'content') {
    super(`${what} digest mismatch: expected ${expected}, got ${actual}`);
  }

  static is(err: unknown): err is DigestMismatchError {
    return err instanceof DigestMismatchError;
  }
}

/** Parses `algorithm:hex`, checking the algorithm is sha256/sha512 and the hex has the right length. */
export function parseDigest(digest: string): ParsedDigest {
  if (typeof digest !== 'string') throw new InvalidDigestError(String(digest), 'not a string');
  const colon = digest.indexOf(':');
  if (colon <= 0) throw new InvalidDigestError(digest, 'expected "algorithm:hex"');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new InvalidDigestError(digest, `unsupported algorithm ${JSON.stringify(algorithm)} (use sha256 or sha512)`);
  }
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (!/^[a-f0-9]*$/.test(hex)) throw new InvalidDigestError(digest, 'the hex part must be lowercase hexadecimal');
  if (hex.length !== length) throw new InvalidDigestError(digest, `${algorithm} needs ${length} hex characters, got ${hex.length}`);
  return { algorithm, hex };
}

/** True when `digest` is a well-formed sha256/sha512 digest. */
export function isValidDigest(digest: string): boolean {
  try {
    parseDigest(digest);
    return true;
  } catch {
    return false;
  }
}

/** An incremental hasher that also counts bytes. */
export interface Digester {
  readonly algorithm: DigestAlgorithm;
  /** Bytes fed so far. */
  readonly size: number;
  update(chunk: Uint8Array | string): void;
  /** The digest (`sha256:<hex>`) of everything fed. Call once. */
  digest(): string;
}

/** Creates an incremental hasher. `algorithm` defaults to sha256. */
export function createDigester(algorithm: DigestAlgorithm = 'sha256'): Digester {
  const hash: Hash = createHash(algorithm);
  let size = 0;
  return {
    algorithm,
    get size() {
      return size;
    },
    update(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_SIZE) {
        hash.update(bytes.subarray(offset, offset + CHUNK_SIZE));
      }
      size += bytes.byteLength;
    },
    digest: () => `${algorithm}:${hash.digest('hex')}`,
  };
}

/** Content a digest can be computed from: bytes, a string (UTF-8), or a stream of bytes. */
export type DigestSource = Uint8Array | string;
/** A stream of bytes (Node streams are async iterables). */
export type DigestStreamSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/**
 * Computes the digest of `data`. Bytes and strings are hashed synchronously; streams are consumed and
 * the result is a promise.
 */
export function computeDigest(data: DigestSource, algorithm?: DigestAlgorithm): string;
export function computeDigest(data: DigestStreamSource, algorithm?: DigestAlgorithm): Promise<string>;
export function computeDigest(
  data: DigestSource | DigestStreamSource,
  algorithm: DigestAlgorithm = 'sha256',
): string | Promise<string> {
  const digester = createDigester(algorithm);
  if (typeof data === 'string' || data instanceof Uint8Array) {
    digester.update(data);
    return digester.digest();
  }
  return (async () => {
    for await (const chunk of iterate(data)) digester.update(chunk);
    return digester.digest();
  })();
}

/**
 * Checks that `data` has digest `expected`, hashing with the algorithm `expected` names.
 *
 * @throws InvalidDigestError when `expected` is malformed; DigestMismatchError when the content differs.
 */
export function verifyDigest(data: DigestSource, expected: string, what?: string): void;
export function verifyDigest(data: DigestStreamSource, expected: string, what?: string): Promise<void>;
export function verifyDigest(data: DigestSource | DigestStreamSource, expected: string, what?: string): void | Promise<void> {
  const { algorithm } = parseDigest(expected);
  const check = (actual: string): void => {
    if (actual !== expected) throw new DigestMismatchError(expected, actual, what);
  };
  if (typeof data === 'string' || data instanceof Uint8Array) return check(computeDigest(data, algorithm));
  return computeDigest(data, algorithm).then(check);
}

/**
 * A pass-through stream that hashes what flows through it and errors at the end when the digest (or
 * the size, when given) differs, so a download is verified without a second pass.
 */
export function createVerifyingStream(expected: string, expectedSize?: number): TransformStream<Uint8Array, Uint8Array> {
  const digester = createDigester(parseDigest(expected).algorithm);
  return new TransformStream({
    transform(chunk, controller) {
      digester.update(chunk);
      if (expectedSize !== undefined && digester.size > expectedSize) {
        controller.error(new DigestMismatchError(expected, `more than ${expectedSize} bytes`));
        return;
      }
      controller.enqueue(chunk);
    },
    flush(controller) {
      const actual = digester.digest();
      if (expectedSize !== undefined && digester.size !== expectedSize) {
        controller.error(new DigestMismatchError(expected, `${actual} (${digester.size} of ${expectedSize} bytes)`));
      } else if (actual !== expected) {
        controller.error(new DigestMismatchError(expected, actual));
      }
    },
  });
}

async function* iterate(source: DigestStreamSource): AsyncIterable<Uint8Array> {
  if (Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
