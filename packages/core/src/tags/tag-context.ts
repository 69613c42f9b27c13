/**
 * What tag rules and OCI labels are computed from: the workflow run's event, ref and commit, plus the
 * repository facts. Hosts fill it (the Action from `@actions/github`'s context); tags/ only reads it.
 */
export interface TagContext {
  /** `push`, `pull_request`, `pull_request_target`, `schedule`, `workflow_dispatch`, `release`, ... */
  eventName: string;
  /** The full git ref: `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/12/merge`. */
  ref: string;
  /** The commit the run is for (for pull requests, the synthetic merge commit). */
  sha: string;
  /** For pull requests: the head commit of the PR branch. */
  prHeadSha?: string;
  /** For pull requests: the PR number. */
  prNumber?: number;
  /** For pull requests: the base branch name (`main`). */
  baseRef?: string;
  /** The repository's default branch (`main`). Undefined: no branch counts as default. */
  defaultBranch?: string;
  /** `owner/name`. */
  repository?: string;
  /** The repository's web address (`https://github.com/owner/name`). */
  repositoryUrl?: string;
  description?: string;
  /** SPDX id (`MIT`). */
  license?: string;
  /** When the commit was made, for `{{commit_date 'FORMAT'}}`; `now` stands in when undefined. */
  commitDate?: Date;
}

/** The branch name for `refs/heads/*`, else undefined. */
export function branchOf(context: TagContext): string | undefined {
  return context.ref.startsWith('refs/heads/') ? context.ref.slice('refs/heads/'.length) : undefined;
}

/** The git tag for `refs/tags/*`, else undefined. */
export function gitTagOf(context: TagContext): string | undefined {
  return context.ref.startsWith('refs/tags/') ? context.ref.slice('refs/tags/'.length) : undefined;
}

/** Whether the event is about a pull request. */
export function isPullRequest(context: TagContext): boolean {
  return context.eventName === 'pull_request' || context.eventName === 'pull_request_target';
}

/**
 * The PR number, from the context or from `refs/pull/<n>/merge`. `pull_request_target` runs on the base
 * branch's ref, so only the number from the payload identifies the PR there.
 */
export function prNumberOf(context: TagContext): number | undefined {
  if (context.prNumber !== undefined) return context.prNumber;
  const m = /^refs\/pull\/(\d+)\//.exec(context.ref);
  return m ? Number(m[1]) : undefined;
}

/** Whether the run is on the repository's default branch. */
export function isDefaultBranch(context: TagContext): boolean {
  const branch = branchOf(context);
  return branch !== undefined && context.defaultBranch !== undefined && branch === context.defaultBranch;
}

/**
 * The commit SHA tags use: the PR head when `preferHead` and the run is a pull request (metadata-action
 * uses the merge commit unless `DOCKER_METADATA_PR_HEAD_SHA=true`, #206 #414), else `sha`.
 */
export function commitShaOf(context: TagContext, preferHead: boolean): string {
  if (preferHead && isPullRequest(context) && context.prHeadSha) return context.prHeadSha;
  return context.sha;
}
