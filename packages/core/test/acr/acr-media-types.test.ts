import { describe, expect, it } from 'vitest';
import { MediaTypeCollector } from '../../src/acr/acr-media-types';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

describe('MediaTypeCollector', () => {
  it('reads mediaType from a GetManifestAttributes body and from a GetManifestList body', () => {
    const collector = new MediaTypeCollector();
    collector.onResponse({ bodyAsText: JSON.stringify({ registry: 'r', imageName: 'app', manifest: { digest: A, mediaType: 'application/vnd.oci.image.index.v1+json' } }) });
    collector.onResponse({ bodyAsText: JSON.stringify({ manifests: [{ digest: B, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' }, { digest: 'sha256:c' }] }) });
    expect(collector.get(A)).toBe('application/vnd.oci.image.index.v1+json');
    expect(collector.get(B)).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(collector.get('sha256:c')).toBeUndefined();
  });

  it('ignores bodies that are not manifest JSON without throwing', () => {
    const collector = new MediaTypeCollector();
    for (const bodyAsText of [undefined, null, '', '<html>502</html>', 'null', '42', '{"manifests":"x"}', '{"manifest":null}', '{"manifests":[null,1,{"digest":5,"mediaType":"x"}]}']) {
      expect(() => collector.onResponse({ bodyAsText })).not.toThrow();
    }
    expect(collector.get(A)).toBeUndefined();
  });
});
