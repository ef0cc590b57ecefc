import { solveProofOfWork } from '@hiwar/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, solves } from '../test-support/fake-api.js';
import { createChallengeModel } from './challenge-model.js';

function setup(options: { pow?: number } = {}) {
  const api = fakeApi(options);
  const solver = vi.fn(solveProofOfWork);
  const challenge = createChallengeModel({ client: api.client(), solver: async () => solver });
  return { api, solver, challenge };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('ChallengeModel', () => {
  it('asks for one token however often the form is focused, and needs no solver without a puzzle', async () => {
    const { api, solver, challenge } = setup();
    expect(challenge.ready()).toBe(false);

    const first = challenge.prepare();
    challenge.prepare();
    expect(await first).toEqual({ formToken: 'form-1' });

    expect(challenge.ready()).toBe(true);
    expect(await challenge.prepare()).toEqual({ formToken: 'form-1' });
    expect(api.challengeRequests()).toHaveLength(1);
    expect(solver).not.toHaveBeenCalled();
  });

  it('solves the puzzle a token carries, as the server checks it', async () => {
    const { solver, challenge } = setup({ pow: 8 });

    const { formToken, proof } = await challenge.prepare();

    expect(formToken).toBe('form-1');
    expect(solves('form-1', proof, 8)).toBe(true);
    expect(solver).toHaveBeenCalledOnce();
  });

  it('starts on a new token when the last one was sent', async () => {
    const { api, challenge } = setup();
    await challenge.prepare();

    challenge.renew();

    expect(challenge.ready()).toBe(false);
    expect(await challenge.prepare()).toEqual({ formToken: 'form-2' });
    expect(api.challengeRequests()).toHaveLength(2);
  });

  it('asks again for a token close to its expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { challenge } = setup();
    await challenge.prepare();

    vi.setSystemTime(Date.now() + 12 * 3_600_000 - 30_000); // half a minute before it expires

    expect(challenge.ready()).toBe(false);
    expect(await challenge.prepare()).toEqual({ formToken: 'form-2' });
  });

  it('goes without a token when none comes, and asks again next time', async () => {
    const { api, challenge } = setup();
    api.failNextChallenge(503);

    expect(await challenge.prepare()).toEqual({ formToken: undefined });

    expect(await challenge.prepare()).toEqual({ formToken: 'form-1' });
    expect(api.challengeRequests()).toHaveLength(2);
  });

  it('solves the puzzle where there is no crypto.subtle too (a page on plain http)', async () => {
    vi.stubGlobal('crypto', undefined);
    const { solver, challenge } = setup({ pow: 8 });

    const { formToken, proof } = await challenge.prepare();

    expect(formToken).toBe('form-1');
    expect(solves('form-1', proof, 8)).toBe(true);
    expect(solver).toHaveBeenCalledOnce();
  });

  it('keeps the token when the solver cannot be loaded, and stops solving when disposed', async () => {
    const api = fakeApi({ pow: 30 });
    const broken = createChallengeModel({
      client: api.client(),
      solver: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
    });
    expect(await broken.prepare()).toEqual({ formToken: 'form-1' });

    const solver = vi.fn(solveProofOfWork);
    const disposed = createChallengeModel({ client: api.client(), solver: async () => solver });
    const proof = disposed.prepare();
    await vi.waitFor(() => expect(solver).toHaveBeenCalled());
    disposed.dispose(); // 30 bits would take minutes
    expect(await proof).toEqual({ formToken: 'form-2' });
  });
});
