/**
 * Entry of dist/cloud-build.cjs: the cloud build code (the Azure Storage SDK, context packing, ACR
 * Tasks calls) in its own bundle, loaded by main and post only for `command: build`, so that login,
 * push and tag load none of it and main.cjs stays within its size budget.
 */
export { runCloudBuild } from '@acrkit/core/acr/tasks/run-cloud-build';
export { cancelCloudBuildRuns } from '@acrkit/core/acr/tasks/cancel-cloud-build';
