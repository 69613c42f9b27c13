/** Platforms and size of a pushed image, for the job summary, from the root manifest's bytes. */
import type { SummaryRow } from './commands/command';

interface Root {
  mediaType?: string;
  manifests?: { platform?: { os?: string; architecture?: string; variant?: string }; size?: number; annotations?: Record<string, string> }[];
  config?: { size?: number };
  layers?: { size?: number }[];
}

/** Platforms (`linux/amd64`) of an index, or of an image given its config; size = manifest + config + layers. */
export function imageFacts(rootBytes: Uint8Array, configBytes?: Uint8Array): Pick<SummaryRow, 'platforms' | 'size'> {
  const root = JSON.parse(Buffer.from(rootBytes).toString('utf8')) as Root;
  if (root.manifests) {
    const platforms = root.manifests
      .filter((m) => m.platform && m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest')
      .map((m) => [m.platform?.os, m.platform?.architecture, m.platform?.variant].filter(Boolean).join('/'));
    return { platforms: [...new Set(platforms)] };
  }
  const size = rootBytes.length + (root.config?.size ?? 0) + (root.layers ?? []).reduce((n, l) => n + (l.size ?? 0), 0);
  if (!configBytes) return { size };
  const config = JSON.parse(Buffer.from(configBytes).toString('utf8')) as { os?: string; architecture?: string; variant?: string };
  const platform = [config.os, config.architecture, config.variant].filter(Boolean).join('/');
  return { size, platforms: platform ? [platform] : [] };
}
