/**
 * Reading the saved Azure SDK test-proxy recordings and REST spec examples (fixtures/), and comparing
 * the stand-in's answers with them by shape: status, the headers that matter, and body keys and types
 * (values differ: other registry, other content, other times).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string | string[]>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string | string[]>;
  ResponseBody: unknown;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const JS_RECORDINGS = 'Azure/azure-sdk-for-js/sdk/containerregistry/container-registry/recordings/node/';
export const GO_RECORDINGS = 'Azure/azure-sdk-for-go/sdk/containers/azcontainerregistry/testdata/recordings/';
export const SPEC_EXAMPLES = 'Azure/azure-rest-api-specs/specification/containerregistry/data-plane/Azure.ContainerRegistry/stable/2021-07-01/examples/';

export function loadRecording(path: string): RecordedEntry[] {
  return (JSON.parse(readFileSync(FIXTURES + path, 'utf8')) as { Entries: RecordedEntry[] }).Entries;
}

export interface SpecExample {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
}

export function loadExample(name: string): SpecExample {
  return JSON.parse(readFileSync(`${FIXTURES}${SPEC_EXAMPLES}${name}.json`, 'utf8')) as SpecExample;
}

/** A header of a recorded response (names are case-insensitive; repeated values joined). */
export function recordedHeader(entry: RecordedEntry, name: string): string | undefined {
  const key = Object.keys(entry.ResponseHeaders).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return undefined;
  const value = entry.ResponseHeaders[key]!;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The shape of a JSON value: object keys (in order) with their shapes, arrays by their first element,
 * primitives by type. Two bodies with equal shapes differ only in values.
 */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value === null) return 'null';
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

/**
 * True when every key of the `expected` shape is in `actual` with the same shape (extra keys allowed):
 * the spec examples predate fields real ACR sends (`signed`).
 */
export function coversShape(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && (expected.length === 0 || (actual.length > 0 && coversShape(actual[0], expected[0])));
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(expected).every(([k, v]) => k in actual && coversShape((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}
