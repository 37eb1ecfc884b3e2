import { useEffect, useState } from 'react';

/** The screen lives in the URL's hash (`#/conversions/<id>`), so reload and back work; no key ever goes there. */
export function useRoute(): string[] {
  const read = () =>
    (window.location.hash.replace(/^#\/?/, '') || 'report')
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function go(...parts: string[]) {
  window.location.hash = href(...parts).slice(1);
}
