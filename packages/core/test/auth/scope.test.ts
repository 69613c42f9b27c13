import { describe, expect, it } from 'vitest';
import { mergeScopes, parseScope, repositoryScope } from '../../src/auth/scope';

describe('scopes', () => {
  it('parses type:name:actions with colons in the name', () => {
    expect(parseScope('repository:app:pull,push')).toEqual({ type: 'repository', name: 'app', actions: ['pull', 'push'] });
    expect(parseScope('repository:host:5000/app:pull')).toEqual({ type: 'repository', name: 'host:5000/app', actions: ['pull'] });
    expect(parseScope('registry:catalog:*')).toEqual({ type: 'registry', name: 'catalog', actions: ['*'] });
    expect(parseScope('nonsense')).toBeUndefined();
    expect(parseScope('a:b')).toBeUndefined();
  });

  it('merges per resource, sorts, de-duplicates and splits space-separated lists', () => {
    expect(mergeScopes(['repository:app:push'], 'repository:app:pull repository:other:pull', undefined, ['repository:app:pull,delete'])).toEqual([
      'repository:app:delete,pull,push',
      'repository:other:pull',
    ]);
    expect(mergeScopes(undefined)).toEqual([]);
    expect(mergeScopes(['weird', 'registry:catalog:*'])).toEqual(['registry:catalog:*', 'weird']);
    expect(mergeScopes(['repository:b:pull', 'repository:a:pull'])).toEqual(mergeScopes(['repository:a:pull', 'repository:b:pull']));
  });

  it('builds repository scopes', () => {
    expect(repositoryScope('team/app', 'pull', 'push')).toBe('repository:team/app:pull,push');
  });
});
