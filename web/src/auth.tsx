import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, session, setUnauthorizedHandler } from './api/client';

export interface Me {
  scope: 'admin' | 'read';
  name: string | null;
}

interface Auth {
  me: Me | null;
  canWrite: boolean;
  signIn(key: string): Promise<void>;
  signOut(): void;
}

const AuthContext = createContext<Auth>({ me: null, canWrite: false, signIn: async () => undefined, signOut: () => undefined });

export function useAuth(): Auth {
  return useContext(AuthContext);
}

/** Holds who the session's key is (`GET /api/v1/me`); the key itself stays in sessionStorage. */
export function AuthProvider({ children, initial }: { children: ReactNode; initial?: Me }) {
  const [me, setMe] = useState<Me | null>(initial ?? null);
  const [checking, setChecking] = useState(!initial && session.get() !== null);

  const signOut = useCallback(() => {
    session.clear();
    setMe(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(signOut);
    if (initial || !session.get()) return;
    api
      .get<Me>('/api/v1/me')
      .then(setMe, () => signOut())
      .finally(() => setChecking(false));
  }, [initial, signOut]);

  const signIn = useCallback(async (key: string) => {
    session.set(key);
    try {
      setMe(await api.get<Me>('/api/v1/me'));
    } catch (e) {
      session.clear();
      throw e instanceof ApiError && e.status === 401 ? new Error('That API key is not valid.') : e;
    }
  }, []);

  if (checking) return <p className="loading">Loading…</p>;
  return <AuthContext.Provider value={{ me, canWrite: me?.scope === 'admin', signIn, signOut }}>{children}</AuthContext.Provider>;
}

export function SignIn() {
  const { signIn } = useAuth();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main className="signin">
      <h1>Tracker</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          signIn(key.trim()).catch((err: unknown) => {
            setError(err instanceof Error ? err.message : String(err));
            setBusy(false);
          });
        }}
      >
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required />
        <button type="submit" disabled={busy || !key.trim()}>
          Sign in
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <p className="hint">The key is kept for this browser tab's session only.</p>
      </form>
    </main>
  );
}
