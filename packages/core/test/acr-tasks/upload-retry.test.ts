/**
 * The upload's per-try policy in isolation (a fake `next`): 429 waits for Retry-After (capped) a
 * bounded number of times, a try that takes too long becomes a retryable ETIMEDOUT, an abort stays
 * an abort. upload.faults.test.ts proves the same against Azurite through the storage SDK.
 */
import { createHttpHeaders, createPipelineRequest, isRestError, type PipelineResponse, type PipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it, vi } from 'vitest';
import { boundedTryPolicy, DEFAULT_UPLOAD_RETRY, storageRetryOptions } from '../../src/acr/tasks/upload-retry';

const request = (signal?: AbortSignal) => createPipelineRequest({ url: 'https://acct.blob.core.windows.net/c/b?comp=block&sig=SECRET', method: 'PUT', abortSignal: signal });
const answer = (req: PipelineRequest, status: number, headers: Record<string, string> = {}): PipelineResponse => ({ request: req, status, headers: createHttpHeaders(headers) });
const options = (over: Partial<typeof DEFAULT_UPLOAD_RETRY> = {}) => ({ ...DEFAULT_UPLOAD_RETRY, ...over });

describe('boundedTryPolicy', () => {
  it('sends a 429 again after Retry-After and returns the next answer', async () => {
    const next = vi.fn().mockImplementationOnce(async (r: PipelineRequest) => answer(r, 429, { 'retry-after': '0' }))
      .mockImplementationOnce(async (r: PipelineRequest) => answer(r, 201));
    const response = await boundedTryPolicy(options()).sendRequest(request(), next);
    expect(response.status).toBe(201);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('gives up after maxThrottleRetries and returns the 429 (bounded in count)', async () => {
    const next = vi.fn(async (r: PipelineRequest) => answer(r, 429, { 'retry-after': '0' }));
    const response = await boundedTryPolicy(options({ maxThrottleRetries: 3 })).sendRequest(request(), next);
    expect(response.status).toBe(429);
    expect(next).toHaveBeenCalledTimes(4);
  });

  it('caps Retry-After at maxRetryAfterMs (bounded in time)', async () => {
    const next = vi.fn(async (r: PipelineRequest) => answer(r, 429, { 'retry-after': '3600' }));
    const started = Date.now();
    await boundedTryPolicy(options({ maxThrottleRetries: 2, maxRetryAfterMs: 50 })).sendRequest(request(), next);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('ends a try that takes longer than tryTimeoutMs with a retryable ETIMEDOUT and restores the signal', async () => {
    const req = request();
    const next = (r: PipelineRequest) => new Promise<PipelineResponse>((_resolve, reject) => {
      r.abortSignal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
    const started = Date.now();
    const err = await boundedTryPolicy(options({ tryTimeoutMs: 100 })).sendRequest(req, next).catch((e: unknown) => e);
    expect(isRestError(err)).toBe(true);
    expect((err as { code?: string }).code).toBe('ETIMEDOUT');
    expect((err as Error).message).not.toContain('SECRET');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(req.abortSignal).toBeUndefined();
  });

  it('passes the caller’s abort on as it is, during a try and during a Retry-After wait', async () => {
    const controller = new AbortController();
    const next = vi.fn(async (r: PipelineRequest) => answer(r, 429, { 'retry-after': '30' }));
    setTimeout(() => controller.abort(new DOMException('stop', 'AbortError')), 50);
    const started = Date.now();
    const err = await boundedTryPolicy(options()).sendRequest(request(controller.signal), next).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(isRestError(err)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });
  it('applies the upload’s own signal to a try the SDK sent without one (uploadStream does not pass it to Put Block)', async () => {
    const upload = new AbortController();
    const next = (r: PipelineRequest) => new Promise<PipelineResponse>((_resolve, reject) => {
      r.abortSignal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
    setTimeout(() => upload.abort(), 50);
    const started = Date.now();
    const err = await boundedTryPolicy(options(), upload.signal).sendRequest(request(), next).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('storage retry options', () => {
  it('are explicit and bounded: 5 tries, waits of 0, 200, 600, 1400 ms (at most 3 s each)', () => {
    const o = storageRetryOptions(DEFAULT_UPLOAD_RETRY);
    expect(o).toEqual({ maxTries: 5, retryDelayInMs: 200, maxRetryDelayInMs: 3000 });
    // The SDK's exponential wait before try n+1: min((2^(n-1) - 1) × retryDelayInMs, maxRetryDelayInMs).
    const waits = [1, 2, 3, 4].map((n) => Math.min((2 ** (n - 1) - 1) * o.retryDelayInMs!, o.maxRetryDelayInMs!));
    expect(waits).toEqual([0, 200, 600, 1400]);
  });
});
