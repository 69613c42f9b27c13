/**
 * Read-only JSON documents for manifests and image configs, under the `acrkit` scheme with a stable URI
 * (`acrkit:/<host>/<repo>@<digest>.json`) so reopening or comparing works. Content is fetched when the
 * document opens: the manifest's exact bytes (digest-verified by the core), pretty-printed.
 */
import * as consumers from 'node:stream/consumers';
import * as vscode from 'vscode';
import type { RegistryClients } from './clients';
import type { RegistryEntry } from './model/registry-entry';
import { abortSignalOf } from './tree/registry-tree-provider';

export const MANIFEST_SCHEME = 'acrkit';
const CONFIG_MAX_BYTES = 4 * 1024 * 1024;

export type DocumentKind = 'manifest' | 'config';

export class ManifestDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly clients: RegistryClients) {}

  uriFor(entry: RegistryEntry, repository: string, digest: string, kind: DocumentKind): vscode.Uri {
    const suffix = kind === 'config' ? '.config.json' : '.json';
    const query = new URLSearchParams({ registry: entry.id, repository, digest, kind }).toString();
    return vscode.Uri.from({ scheme: MANIFEST_SCHEME, path: `/${entry.loginServer}/${repository}@${digest}${suffix}`, query });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const entry = this.clients.entry(q.get('registry') ?? '');
    const repository = q.get('repository');
    const digest = q.get('digest');
    if (!entry || !repository || !digest) throw new Error(`${uri.toString()}: unknown registry; open it again from the tree`);
    const signal = abortSignalOf(token);
    const repo = this.clients.repositoryFor(entry, repository);
    const manifest = await repo.fetchManifest(digest, { signal });
    const text = new TextDecoder().decode(manifest.bytes);
    if (q.get('kind') !== 'config') return pretty(text);
    const config = (JSON.parse(text) as { config?: { digest?: string; size?: number } }).config;
    if (!config?.digest) {
      throw new Error(`${repository}@${digest} is an index or artifact without an image config; inspect one of its platforms`);
    }
    if ((config.size ?? 0) > CONFIG_MAX_BYTES) throw new Error(`the config blob of ${repository}@${digest} is larger than 4 MiB`);
    const blob = await repo.fetchBlob(config.digest, { signal, expectedSize: config.size });
    return pretty(await consumers.text(blob.stream));
  }
}

function pretty(text: string): string {
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}
