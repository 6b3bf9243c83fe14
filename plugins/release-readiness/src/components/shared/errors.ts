/** The words to show for an error of the API. */
export function errorMessage(error: unknown): string {
  const e = error as
    | { body?: { error?: { message?: unknown } }; message?: unknown }
    | undefined;
  const fromBody = e?.body?.error?.message;
  if (typeof fromBody === 'string' && fromBody) {
    return fromBody;
  }
  if (typeof e?.message === 'string' && e.message) {
    return e.message;
  }
  return String(error);
}

/** Whether the error is an HTTP 409 Conflict from the backend. */
export function isConflict(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { statusCode?: unknown }).statusCode === 409
  );
}
