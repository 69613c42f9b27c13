/**
 * Adds any registry by login server: an ACR with its admin user or a repository-scoped token, an ACR
 * through the Azure sign-in, Docker Hub, GHCR, any Distribution registry, or anonymous. The secret goes to
 * SecretStorage. Tests (and other extensions) may pass a NewRegistry instead of answering prompts.
 */
import { isAcrLoginServer } from '@acrkit/core/acr/login-server';
import { normalizeLoginServer, type RegistryAuth } from '../model/registry-entry';
import type { NewRegistry } from '../registry-store';
import type { CommandContext, CommandSpec } from './command-context';

export const addRegistryCommand: CommandSpec = {
  id: 'acrkit.addRegistry',
  async run(ctx, given) {
    const input = isNewRegistry(given) ? given : await askRegistry(ctx);
    if (!input) return undefined;
    const entry = await ctx.registries.add(input);
    ctx.clients.clear(entry);
    ctx.tree.refresh();
    ctx.prompts.info(`Added ${entry.loginServer}`);
    return entry.id;
  },
};

function isNewRegistry(value: unknown): value is NewRegistry {
  return typeof (value as NewRegistry | undefined)?.loginServer === 'string';
}

async function askRegistry(ctx: CommandContext): Promise<NewRegistry | undefined> {
  const loginServer = await ctx.prompts.input({
    title: 'Add Registry (1/3)',
    prompt: 'Login server: myreg.azurecr.io, ghcr.io, docker.io, registry.example.com:5000',
    validateInput: (v) => { try { normalizeLoginServer(v); return undefined; } catch (e) { return (e as Error).message; } },
  });
  if (!loginServer) return undefined;
  let acr = isAcrLoginServer(normalizeLoginServer(loginServer));
  let backend: 'acr' | undefined;
  if (!acr) {
    const kind = await ctx.prompts.pickOne(
      [
        { label: 'OCI / Docker registry', detail: 'Docker Hub, GHCR, Harbor, Distribution…: names only, registry order', acr: false },
        { label: 'Azure Container Registry behind a custom domain', detail: 'Uses ACR\'s metadata API: newest first, times, sizes, locks', acr: true },
      ],
      { title: 'Add Registry: what serves it?' },
    );
    if (!kind) return undefined;
    acr = kind.acr;
    backend = kind.acr ? 'acr' : undefined;
  }
  const choices: Array<{ label: string; detail: string; auth: RegistryAuth }> = [
    { label: 'User name and password or token', detail: acr ? 'ACR admin user or repository-scoped token' : 'Docker Hub / GHCR personal access token, or a registry user', auth: 'basic' },
    ...(acr ? [{ label: 'Azure account', detail: 'Your Microsoft Entra sign-in (RBAC: AcrPull and up)', auth: 'entra' as const }] : []),
    { label: 'Anonymous', detail: 'Public registries, or ACR with anonymous pull enabled', auth: 'anonymous' },
  ];
  const picked = await ctx.prompts.pickOne(choices, { title: 'Add Registry (2/3): how to sign in' });
  if (!picked) return undefined;
  if (picked.auth !== 'basic') return { loginServer, auth: picked.auth, backend };
  const username = await ctx.prompts.input({ title: 'Add Registry (3/3)', prompt: `User name for ${loginServer}` });
  if (!username) return undefined;
  const password = await ctx.prompts.input({ title: 'Add Registry (3/3)', prompt: `Password or token for ${username}@${loginServer} (kept in VS Code's secret storage)`, password: true });
  return password ? { loginServer, auth: 'basic', username, password, backend } : undefined;
}
