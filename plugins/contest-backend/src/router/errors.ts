import type { ErrorRequestHandler } from 'express';
import { TooManySubmissionsError } from '../services/SubmissionService/types';
import { TooManyLoginsError } from '../services/LoginThrottle';
import { DeploymentBusyError } from '../services/DeploymentClient';
import { UnsupportedMediaTypeError } from './requestGuard';

/**
 * The single catalogue of contestant-facing error responses. Backstage's
 * error middleware handles InputError (400), NotAllowedError (403),
 * NotFoundError (404), ConflictError (409) and AuthenticationError (401);
 * this adds the rate-limit answers (429 with Retry-After) for submissions,
 * failed logins and registrations, and 415 for a body that is not JSON.
 */
export const contestErrorHandler: ErrorRequestHandler = (
  err,
  _req,
  res,
  next,
) => {
  if (
    err instanceof TooManySubmissionsError ||
    err instanceof TooManyLoginsError
  ) {
    res.setHeader('Retry-After', String(err.retryAfterSeconds));
    res.status(429).json({
      error: { name: 'TooManyRequestsError', message: err.message },
    });
    return;
  }
  if (err instanceof UnsupportedMediaTypeError) {
    res.status(415).json({ error: { name: err.name, message: err.message } });
    return;
  }
  if (err instanceof DeploymentBusyError) {
    res.setHeader('Retry-After', String(err.retryAfterSeconds));
    res.status(503).json({
      error: { name: 'ServiceUnavailableError', message: err.message },
    });
    return;
  }
  next(err);
};
