import { ApiError } from '../api/client';

/** An API failure as the user should read it; a 403 says plainly that the key may only read. */
export function ErrorNote({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 403)
    return (
      <p role="alert" className="error">
        Refused (403 {error.code}): {error.message}
      </p>
    );
  const text = error instanceof ApiError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}
