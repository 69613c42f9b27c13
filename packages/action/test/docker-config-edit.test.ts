import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addAuthEntry, authValue, DockerConfigError, newConfigText, removeAuthEntry, valueDigest } from '../src/docker-config-edit';

const V = authValue('00000000-0000-0000-0000-000000000000', 'tok');
const HOST = 'reg.azurecr.io';

const fixtures: [string, string][] = [
  ['empty object', '{}'],
  ['empty with newline', '{\n}\n'],
  ['docker cli style', '{\n\t"auths": {\n\t\t"ghcr.io": {\n\t\t\t"auth": "Zm9vOmJhcg=="\n\t\t}\n\t},\n\t"psFormat": "table"\n}'],
  ['two spaces, no auths', '{\n  "credHelpers": { "gcr.io": "gcloud" },\n  "detachKeys": "ctrl-e,e"\n}\n'],
  ['empty auths', '{"auths":{}}'],
  ['empty auths with spaces', '{ "auths": {\n  }, "x": [1, {"y": "}"}] }'],
  ['auths last', '{"a":"\\"quoted\\"","auths":{"other.io":{"auth":"eDp5"}}}'],
];

describe('docker config edits', () => {
  test.each(fixtures)('%s: add then remove restores the exact text', (_name, original) => {
    const { text, change } = addAuthEntry(original, HOST, V);
    expect(JSON.parse(text).auths[HOST]).toEqual(JSON.parse(V));
    const { text: back, outcome } = removeAuthEntry(text, change);
    expect(outcome).toBe('removed');
    expect(back).toBe(original);
  });

  test('replacing an entry restores the previous one byte for byte', () => {
    const original = '{\n\t"auths": {\n\t\t"reg.azurecr.io": {\n\t\t\t"auth": "b2xkOm9sZA=="\n\t\t}\n\t}\n}';
    const { text, change } = addAuthEntry(original, HOST, V);
    expect(change.previous).toBe('{\n\t\t\t"auth": "b2xkOm9sZA=="\n\t\t}');
    expect(removeAuthEntry(text, change)).toMatchObject({ text: original, outcome: 'restored' });
  });

  test('changes made by others in between survive; only our entry goes', () => {
    const original = '{"auths":{"a.io":{"auth":"YTpi"}}}';
    const { text, change } = addAuthEntry(original, HOST, V);
    const edited = addAuthEntry(text, 'b.io', '{"auth":"Yjpj"}').text;
    const { text: back } = removeAuthEntry(edited, change);
    expect(JSON.parse(back)).toEqual({ auths: { 'a.io': { auth: 'YTpi' }, 'b.io': { auth: 'Yjpj' } } });
  });

  test('an entry someone replaced since is left alone', () => {
    const { text, change } = addAuthEntry('{}', HOST, V);
    const replaced = text.replace(V, '{"auth":"bmV3Om5ldw=="}');
    expect(removeAuthEntry(replaced, change)).toMatchObject({ text: replaced, outcome: 'changed' });
  });

  test('a new file empties out completely', () => {
    const text = newConfigText(HOST, V);
    const { text: back, empty } = removeAuthEntry(text, { host: HOST, writtenDigest: valueDigest(V), createdAuths: true });
    expect(JSON.parse(back)).toEqual({});
    expect(empty).toBe(true);
  });

  test('unparsable files are refused, not overwritten', () => {
    expect(() => addAuthEntry('{"auths": ', HOST, V, '/x/config.json')).toThrow(DockerConfigError);
    expect(() => addAuthEntry('[]', HOST, V)).toThrow(/does not hold a JSON object/);
    expect(() => addAuthEntry('{"auths": []}', HOST, V)).toThrow(/"auths" is not an object/);
  });

  test('round trip holds for generated configs', () => {
    const json = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    fc.assert(fc.property(json, fc.dictionary(fc.string({ maxLength: 8 }), fc.constant({ auth: 'eDp5' }), { maxKeys: 3 }), fc.constantFrom(0, 1, 2, '\t'), (extra, auths, space) => {
      const original = JSON.stringify({ ...extra, auths }, null, space);
      const { text, change } = addAuthEntry(original, HOST, V);
      expect(JSON.parse(text).auths[HOST]).toEqual({ auth: JSON.parse(V).auth });
      expect(removeAuthEntry(text, change).text).toBe(original);
    }), { numRuns: 300 });
  });
});
