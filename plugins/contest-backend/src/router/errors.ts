import type { ErrorRequestHandler } from 'express';
import { TooManySubmissionsError } from '../services/ContestService';

/**
 * The single catalogue of contestant-facing error responses. Backstage's
 * error middleware handles InputError (400), NotAllowedError (403),
 * NotFoundError (404), ConflictError (409) and AuthenticationError (401);
 * this adds the rate-limit answer (429 with Retry-After).
 */
export const contestErrorHandler: ErrorRequestHandler = (
  err,
  _req,
  res,
  next,
) => {
  if (err instanceof TooManySubmissionsError) {
    res.setHeader('Retry-After', String(err.retryAfterSeconds));
    res.status(429).json({
      error: { name: 'TooManyRequestsError', message: err.message },
    });
    return;
  }
  next(err);
};
