import { describe, expect, it } from 'vitest';
import { ERROR_BODY_MAX_BYTES, expectStatus, parseErrors, RegistryError } from '../../src/http/registry-error';

const req = { method: 'get', url: 'https://host/v2/app/manifests/v1?sig=SECRET' };

describe('RegistryError', () => {
  it('formats METHOD url: status CODE: message with a redacted URL', async () => {
    const body = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'v1' } }] });
    const err = await RegistryError.fromResponse(new Response(body, { status: 404 }), req);
    expect(err.message).toBe('GET https://host/v2/app/manifests/v1: 404 MANIFEST_UNKNOWN: manifest unknown');
    expect(err.method).toBe('GET');
    expect(err.url).toBe('https://host/v2/app/manifests/v1');
    expect(err.status).toBe(404);
    expect(err.codes).toEqual(['MANIFEST_UNKNOWN']);
    expect(err.errors[0]?.detail).toEqual({ Tag: 'v1' });
    expect(err.retryable).toBe(false);
    expect(RegistryError.is(err)).toBe(true);
    expect(RegistryError.is(err, 'MANIFEST_UNKNOWN')).toBe(true);
    expect(RegistryError.is(err, 'NAME_UNKNOWN')).toBe(false);
    expect(RegistryError.is(new Error('x'))).toBe(false);
  });

  it('joins several errors and falls back to the status text without a spec body', async () => {
    const body = JSON.stringify({ errors: [{ code: 'DENIED', message: 'no' }, { code: 'UNAUTHORIZED' }, { nope: 1 }] });
    const err = await RegistryError.fromResponse(new Response(body, { status: 403 }), req);
    expect(err.message).toContain('403 DENIED: no; UNAUTHORIZED');
    const plain = await RegistryError.fromResponse(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }), req);
    expect(plain.message).toBe('GET https://host/v2/app/manifests/v1: 502 Bad Gateway');
    expect(plain.codes).toEqual([]);
    expect(plain.body).toBe('<html>bad gateway</html>');
    expect(plain.retryable).toBe(true);
  });

  it.each([[408, true], [429, true], [500, true], [502, true], [503, true], [504, true], [400, false], [401, false], [403, false], [404, false], [501, false]])(
    'status %i retryable=%s',
    (status, retryable) => {
      expect(new RegistryError({ method: 'GET', url: 'https://h/', status }).retryable).toBe(retryable);
    },
  );

  it('reads at most 64 KiB of a huge body and cancels the rest', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(120));
        if (pulled > 10_000) controller.close();
      },
    });
    const err = await RegistryError.fromResponse(new Response(stream, { status: 500 }), req);
    expect(err.body.length).toBe(ERROR_BODY_MAX_BYTES);
    expect(pulled).toBeLessThan(20);
  });

  it('masks given secrets in message and body', async () => {
    const body = JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad password hunter2' }] });
    const err = await RegistryError.fromResponse(new Response(body, { status: 401 }), req, { secrets: ['hunter2'], context: 'logging in' });
    expect(err.message).toBe('logging in: GET https://host/v2/app/manifests/v1: 401 UNAUTHORIZED: bad password ***');
    expect(err.body).not.toContain('hunter2');
  });
});

describe('expectStatus', () => {
  it('passes listed statuses and throws a RegistryError otherwise', async () => {
    await expect(expectStatus(new Response(null, { status: 202 }), req, 201, 202)).resolves.toBeUndefined();
    const body = JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
    await expect(expectStatus(new Response(body, { status: 404 }), req, 200)).rejects.toThrow(
      'GET https://host/v2/app/manifests/v1: 404 NAME_UNKNOWN: repository name not known to registry',
    );
  });
});

describe('readCappedText', () => {
  it('gives an empty string for a body already read', async () => {
    const response = new Response('{"errors":[]}', { status: 500 });
    await response.text();
    const err = await RegistryError.fromResponse(response, req);
    expect(err.body).toBe('');
    expect(err.message).toBe('GET https://host/v2/app/manifests/v1: 500 Internal Server Error');
    expect(new RegistryError({ method: 'GET', url: 'https://h/', status: 599 }).message).toBe('GET https://h/: 599 unexpected status');
  });
});

describe('parseErrors', () => {
  it.each(['', 'null', '{"errors":null}', '{"errors":"x"}', '[1]', 'not json'])('%j gives no errors', (body) => {
    expect(parseErrors(body)).toEqual([]);
  });
});
