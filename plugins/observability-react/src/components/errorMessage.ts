/**
 * What to show for a failed call: the backend's own message (a ResponseError
 * carries it as its cause; its message is only "Request failed with 404").
 */
export function errorMessage(error: Error): string {
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return typeof cause?.message === 'string' && cause.message
    ? cause.message
    : error.message;
}
