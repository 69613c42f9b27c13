/**
 * The run's GitHub context (event, ref, commit, PR, repository) as the tag rules want it, from the
 * runner's environment and event payload through `@actions/github`'s Context. The Context is imported
 * from its own module so the bundle does not carry Octokit.
 */
import { Context } from '@actions/github/lib/context';
import type { TagContext } from '@acrkit/core/tags/tag-context';

interface Payload {
  pull_request?: { number?: number; head?: { sha?: string; ref?: string }; base?: { ref?: string } };
  number?: number;
  repository?: { default_branch?: string; html_url?: string; description?: string | null; license?: { spdx_id?: string } | null };
  head_commit?: { timestamp?: string };
}

/** Reads the context of the current run (GITHUB_* variables, GITHUB_EVENT_PATH). */
export function readGithubContext(): TagContext {
  const gh = new Context();
  const payload = gh.payload as Payload;
  const pr = payload.pull_request;
  const repo = payload.repository;
  const repository = process.env.GITHUB_REPOSITORY || undefined;
  const commitDate = payload.head_commit?.timestamp ? new Date(payload.head_commit.timestamp) : undefined;
  return {
    eventName: gh.eventName ?? '',
    ref: gh.ref ?? '',
    sha: gh.sha ?? '',
    prHeadSha: pr?.head?.sha,
    prNumber: pr?.number ?? payload.number,
    baseRef: pr?.base?.ref ?? (process.env.GITHUB_BASE_REF || undefined),
    defaultBranch: repo?.default_branch,
    repository,
    repositoryUrl: repo?.html_url ?? (repository ? `${gh.serverUrl}/${repository}` : undefined),
    description: repo?.description ?? undefined,
    license: repo?.license?.spdx_id && repo.license.spdx_id !== 'NOASSERTION' ? repo.license.spdx_id : undefined,
    commitDate: commitDate && !Number.isNaN(commitDate.getTime()) ? commitDate : undefined,
  };
}
