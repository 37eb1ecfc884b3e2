/** Query parameters whose values never appear in the delivery log or the process log. */
const SECRET_NAME = /^(?:.*[_.-])?(?:token|api[_-]?key|apikey|key|secret|password|passwd|pwd|pass|sig|signature|auth|authorization|access[_-]?token|hash)$/i;

/**
 * A URL as the delivery log shows it: the values of secret-looking query parameters (a
 * traffic source's `token=...`) become `[redacted]`; everything else is kept as sent.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the raw name
      }
      return SECRET_NAME.test(name) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${redacted}${hash < 0 ? '' : url.slice(hash)}`;
}
