/**
 * The local ACR rig: a real Distribution registry behind the ACR front, an Entra ID stand-in and a
 * GitHub OIDC stand-in, all on free loopback ports with fresh secrets. `startRig()` is what tests call;
 * `npm run rig` (cli.ts) starts one for people.
 * The rig CA must be trusted by Node before the process starts: `NODE_EXTRA_CA_CERTS=<rig.caFile>`
 * (vitest's global setup does this for test workers).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerSecrets } from '../support/secret-registry';
import { createTokenSigningCert, ensureRigCa, issueServerCert, writeCertDir } from './ca';
import { startDistribution } from './distribution';
import { startEntra } from './entra';
import { startFront, type FrontDeps } from './front';
import { startBlobStorage } from './blob-storage';
import { startGithubOidc } from './github-oidc';
import { Identities, type Principal } from './identities';
import { loadDefaultPlugins, makeDistributionFetch } from './plugins';
import { RequestLog } from './request-log';
import type { PrincipalOptions, Rig, RigOptions } from './rig-types';
import { ACR_ISSUER, TokenIssuer } from './token-issuer';

export type { PrincipalOptions, Rig, RigOptions, RigPrincipal } from './rig-types';

const secret = (): string => randomBytes(24).toString('base64url');

function toPrincipal(p: PrincipalOptions): Principal {
  const clientSecret = p.clientSecret === null ? undefined : (p.clientSecret ?? (p.federatedSubject ? undefined : secret()));
  return {
    clientId: p.clientId ?? randomUUID(),
    objectId: randomUUID(),
    clientSecret,
    federatedSubject: p.federatedSubject,
    managedIdentity: p.managedIdentity,
    roles: p.roles,
  };
}

/** Starts a rig; stop it with `rig.stop()` (tests: in afterAll). */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const now = options.now ?? Date.now;
  const workDir = await mkdtemp(join(tmpdir(), 'acrkit-rig-'));
  const stops: Array<() => Promise<void>> = [() => rm(workDir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    const ca = await ensureRigCa();
    const [tls, signer, certDir] = await Promise.all([
      issueServerCert(ca, workDir),
      createTokenSigningCert(workDir),
      writeCertDir(ca, join(workDir, 'certs')),
    ]);
    const main = toPrincipal({ roles: ['Owner'] });
    const fed = toPrincipal({ roles: ['Owner'], federatedSubject: 'repo:acrkit/acrkit:*' });
    const pull = toPrincipal({ roles: ['AcrPull'] });
    const msi = toPrincipal({ roles: ['Owner'], managedIdentity: true, clientSecret: null });
    const principals = [main, fed, pull, msi, ...(options.principals ?? []).map(toPrincipal)];
    const admin = { username: `rig${randomBytes(4).toString('hex')}`, password: secret() };
    const identities = new Identities(admin, principals, options.anonymousPull ?? false);
    for (const t of options.repositoryTokens ?? []) identities.tokens.set(t.name, t);
    // The secret harness (test/support/secret-harness.ts) fails any test whose output shows one of these.
    registerSecrets('rig admin password', admin);
    registerSecrets('Entra client secret', ...principals.map((p) => p.clientSecret && { username: p.clientId, password: p.clientSecret }));
    registerSecrets('repository token password', ...[...identities.tokens.values()].map((t) => ({ username: t.name, password: t.password })));

    const oidc = await startGithubOidc(tls, { subject: options.oidcSubject, lifetimeSeconds: options.oidcTokenLifetimeSeconds, now });
    stops.push(() => oidc.close());
    registerSecrets('GitHub OIDC request token', oidc.requestToken);
    const tenantId = randomUUID();
    const entra = await startEntra(tls, {
      identities,
      trusted: { issuer: oidc.issuer, publicKey: oidc.publicKey },
      tenantId,
      lifetimeSeconds: options.entraTokenLifetimeSeconds,
      now,
    });
    stops.push(() => entra.close());
    registerSecrets('managed identity header', entra.managedIdentityEnv.IDENTITY_HEADER);

    const log = new RequestLog();
    // The front listens first: Distribution's config needs its address as realm and service.
    const deps: FrontDeps = { identities, entra, log, now, plugins: [], distributionUrl: '', issuer: undefined as unknown as TokenIssuer };
    const front = await startFront(tls, deps);
    stops.push(() => front.close());
    const loginServer = `127.0.0.1:${front.server.port}`;
    const lifetimes = { refresh: options.refreshTokenLifetimeSeconds, access: options.accessTokenLifetimeSeconds };
    deps.issuer = new TokenIssuer(loginServer, signer, lifetimes, () => Math.floor(now() / 1000));

    const distribution = await startDistribution({
      dir: workDir,
      realm: `${front.server.url}/oauth2/token`,
      service: loginServer,
      issuer: ACR_ISSUER,
      rootCertBundle: signer.certFile,
      signal: options.signal,
    });
    stops.push(() => distribution.stop());
    deps.distributionUrl = distribution.url;
    const blobs = await startBlobStorage(tls, distribution.storageDir, log, now);
    stops.push(() => blobs.close());
    if (options.blobRedirects ?? true) deps.blobRedirect = (digest) => blobs.sasUrl(digest);
    const distributionFetch = makeDistributionFetch(distribution.url, deps.issuer);
    deps.plugins = options.plugins ?? (await loadDefaultPlugins({ loginServer, distributionFetch, storageDir: distribution.storageDir, now }));
    await writeFile(join(workDir, 'README'), `acrkit rig for ${loginServer}; removed on stop\n`);

    return {
      loginServer,
      url: front.server.url,
      certDir,
      caFile: ca.certFile,
      admin,
      entra: {
        authorityHost: entra.authorityHost,
        tenantId,
        clientId: main.clientId,
        clientSecret: main.clientSecret!,
        federatedClientId: fed.clientId,
        pullOnly: { clientId: pull.clientId, clientSecret: pull.clientSecret! },
        managedIdentity: { clientId: msi.clientId, env: entra.managedIdentityEnv },
        principals: principals.map((p) => ({ ...p, roles: [...p.roles] })),
        issued: entra.issued,
      },
      oidc: { requestUrl: oidc.requestUrl, requestToken: oidc.requestToken, issuer: oidc.issuer, subject: oidc.subject, issued: oidc.issued },
      distributionUrl: distribution.url,
      storageDir: distribution.storageDir,
      distributionPid: distribution.pid,
      requests: log.records,
      resetRequests: () => log.reset(),
      addRepositoryToken: (t) => {
        registerSecrets('repository token password', { username: t.name, password: t.password });
        identities.tokens.set(t.name, t);
      },
      distributionFetch,
      secrets: () => [
        admin.password,
        oidc.requestToken,
        entra.managedIdentityEnv.IDENTITY_HEADER,
        ...principals.flatMap((p) => (p.clientSecret ? [p.clientSecret] : [])),
        ...[...identities.tokens.values()].map((t) => t.password),
        ...blobs.signatures(),
        ...deps.issuer.issued.list(),
        ...entra.tokens(),
        ...oidc.tokens(),
      ],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
