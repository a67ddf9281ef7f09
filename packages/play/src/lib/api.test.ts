import { http, HttpResponse } from 'msw';
import { API, apiError, server, setupMockApi } from '../__testUtils__/server';
import { api, ApiError, errorSentence, sentence } from './api';

setupMockApi();

describe('api errors as sentences', () => {
  it('turns server messages into sentences', () => {
    expect(sentence('password: at least 10 characters')).toBe(
      'Password: at least 10 characters.',
    );
    expect(sentence('That team is full.')).toBe('That team is full.');
    expect(errorSentence(409, 'That team name is taken')).toBe(
      'That team name is taken.',
    );
    expect(errorSentence(401, 'Sign in first')).toBe('Please sign in first.');
    expect(errorSentence(500, 'TypeError: x is undefined')).toBe(
      'Something went wrong on the server. Please try again in a moment.',
    );
    expect(errorSentence(503, 'busy', 3)).toBe(
      'The platform is busy right now. Try again in 3 seconds.',
    );
  });

  it('reads Retry-After on a 429 and says how long to wait', async () => {
    server.use(
      http.post(`${API}/challenges/x/submit`, () =>
        apiError(
          429,
          'TooManyRequestsError',
          'Too many submissions for this challenge; wait a minute',
          { 'Retry-After': '42' },
        ),
      ),
    );
    const error = await api.submit('x', 'flag{a}').catch(e => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(42);
    expect(error.message).toBe(
      'Too many submissions for this challenge; wait a minute. Try again in 42 seconds.',
    );
  });

  it('never shows a stack trace or HTML error page', async () => {
    server.use(
      http.get(
        `${API}/challenges`,
        () =>
          new HttpResponse(
            '<html>Error: at Object.<anonymous> (x.js:1)</html>',
            {
              status: 502,
            },
          ),
      ),
    );
    const error = await api.challenges().catch(e => e);
    expect(error.message).toBe(
      'Something went wrong on the server. Please try again in a moment.',
    );
  });

  it('says when the server cannot be reached', async () => {
    server.use(http.get(`${API}/challenges`, () => HttpResponse.error()));
    const error = await api.challenges().catch(e => e);
    expect(error.message).toBe(
      'Could not reach the contest server. Check your connection and try again.',
    );
  });

  it('treats a missing session as signed out', async () => {
    server.use(
      http.get(`${API}/me`, () =>
        apiError(401, 'AuthenticationError', 'Sign in first'),
      ),
    );
    expect(await api.me()).toBeNull();
  });
});
