/**
 * Checks a configured URL that may hold `{macro}`s (SPEC §3, §5): it must be http(s), and its
 * scheme, host and port must be literal, so nothing a visitor sends can choose where they go.
 */
export function destinationUrlProblem(url: string): string | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
  if (!m) return 'must be an absolute http(s) URL';
  const [, scheme, authority] = m;
  if (!/^https?$/i.test(scheme)) return 'must use http or https';
  if (/[{}$%]/.test(authority) || /[{}]/.test(scheme)) return 'the scheme, host and port must be literal (no macros)';
  if (authority.includes('@')) return 'must not hold user info';
  try {
    const parsed = new URL(url.replace(/\{[^}]*\}/g, 'x'));
    if (!parsed.hostname) return 'must name a host';
  } catch {
    return 'is not a valid URL';
  }
  return null;
}
