/** Text formatting shared by tree items and commands: references, sizes, platforms. */
import type { PlatformRef } from '@acrkit/core/registry/registry-client';

/** `host/repo:tag`. Docker Hub's host is written as `docker.io` as users type it. */
export function formatTagReference(loginServer: string, repository: string, tag: string): string {
  return `${displayHost(loginServer)}/${repository}:${tag}`;
}

/** `host/repo@sha256:…`. */
export function formatDigestReference(loginServer: string, repository: string, digest: string): string {
  return `${displayHost(loginServer)}/${repository}@${digest}`;
}

function displayHost(loginServer: string): string {
  return loginServer === 'registry-1.docker.io' ? 'docker.io' : loginServer;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** `linux/arm64/v8`, or "unknown platform" when the registry did not say. */
export function formatPlatform(platform: Pick<PlatformRef, 'os' | 'architecture' | 'variant'>): string {
  const parts = [platform.os, platform.architecture, platform.variant].filter(Boolean);
  return parts.length ? parts.join('/') : 'unknown platform';
}

/** `sha256:0123456789ab` (12 hex digits), for descriptions. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

/** Whether the attributes lock the item against overwrite or delete. */
export function isLocked(attributes: { writeEnabled?: boolean; deleteEnabled?: boolean } | undefined): boolean {
  return attributes?.writeEnabled === false || attributes?.deleteEnabled === false;
}
