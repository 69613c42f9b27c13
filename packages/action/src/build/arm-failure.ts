/**
 * Says who lacks which permission when Azure Resource Manager refuses a cloud build (401/403), the way
 * registry-failure.ts does for registry calls. The ARM error comes from the separately bundled cloud
 * build code, so it is recognised by shape (`name`, `status`), not by class.
 *
 * Reference: https://learn.microsoft.com/azure/container-registry/container-registry-roles (Tasks need
 * Contributor, or a custom role with the registries/scheduleRun, listBuildSourceUploadUrl and runs actions).
 */

/** The actions a quick build calls, for custom roles. */
const ACTIONS = 'Microsoft.ContainerRegistry/registries/scheduleRun/action, listBuildSourceUploadUrl/action, runs/read, runs/listLogSasUrl/action, runs/cancel/action';

/** `err` with a hint naming the identity and the role for ARM 401/403; other errors pass unchanged. */
export function describeArmFailure(err: unknown, identity: string): unknown {
  const e = err as { name?: unknown; status?: unknown; message?: unknown };
  if (!(err instanceof Error) || e.name !== 'ArmError' || (e.status !== 401 && e.status !== 403)) return err;
  const what = e.status === 401
    ? `Azure Resource Manager did not accept the token of ${identity} (check tenant-id, environment, arm-endpoint)`
    : `${identity} may not run ACR Tasks on this registry: it needs Contributor on the registry, or a custom role with ${ACTIONS}`;
  return new Error(`${err.message}: ${what}`, { cause: err });
}
