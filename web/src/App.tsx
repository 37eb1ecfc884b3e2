import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { AuthProvider, SignIn, useAuth } from './auth';
import { href, useRoute } from './lib/route';
import { ConversionsScreen } from './screens/Conversions';
import { DeliveriesScreen } from './screens/Deliveries';
import { PostbacksScreen } from './screens/Postbacks';
import { ReportScreen } from './screens/Report';
import { SetupScreen } from './screens/Setup';

export const SCREENS: { id: string; label: string; render: (route: string[]) => ReactNode }[] = [
  { id: 'report', label: 'Report', render: () => <ReportScreen /> },
  { id: 'conversions', label: 'Conversions', render: (r) => <ConversionsScreen id={r[1]} /> },
  { id: 'postbacks', label: 'Inbound log', render: () => <PostbacksScreen /> },
  { id: 'deliveries', label: 'Deliveries', render: () => <DeliveriesScreen /> },
  { id: 'setup', label: 'Set-up', render: (r) => <SetupScreen route={r} /> },
];

function Shell() {
  const { me, signOut } = useAuth();
  const route = useRoute();
  if (!me) return <SignIn />;
  const screen = SCREENS.find((s) => s.id === route[0]) ?? SCREENS[0];
  return (
    <>
      <header className="top">
        <a className="brand" href={href('report')}>
          Tracker
        </a>
        <nav aria-label="Screens">
          <ul>
            {SCREENS.map((s) => (
              <li key={s.id}>
                <a href={href(s.id)} aria-current={s === screen ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {me.name ?? 'key'} ({me.scope === 'read' ? 'read only' : 'admin'})
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>{screen.render(route)}</main>
    </>
  );
}

export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(
    () => queryClient ?? new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 10_000 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <AuthProvider>
        <Shell />
      </AuthProvider>
    </QueryClientProvider>
  );
}
