import type { ComponentChildren } from 'preact';
import { PageTitle } from '../components/ui.js';
import { here } from '../router.js';
import { pathTo } from '../routes.js';
import { useSession } from '../session.js';

/** The console is for organizer accounts; others are told why and how. */
export const OrganizerOnly = ({ children }: { children: ComponentChildren }) => {
  const s = useSession();
  if (!s)
    return (
      <section class="narrow">
        <PageTitle title="Organizer console">Organizer console</PageTitle>
        <p>Sign in with an organizer account to run your venues and events.</p>
        <a class="button" href={`${pathTo('signIn')}?next=${encodeURIComponent(here())}`}>
          Sign in
        </a>
      </section>
    );
  if (s.user.role !== 'organizer')
    return (
      <section class="narrow">
        <PageTitle title="Organizer console">Organizer console</PageTitle>
        <p>
          The console is for organizer accounts, and {s.user.email} is a buyer's account. An operator creates organizer accounts (ADMIN_EMAIL and
          ADMIN_PASSWORD when the server starts).
        </p>
      </section>
    );
  return <>{children}</>;
};

export const ConsoleNav = ({ current }: { current: string }) => (
  <nav class="console-nav" aria-label="Console">
    <a href={pathTo('console')} aria-current={current === 'console' ? 'page' : undefined}>
      Overview
    </a>
    <a href={pathTo('newVenue')} aria-current={current === 'newVenue' ? 'page' : undefined}>
      New venue
    </a>
    <a href={pathTo('newEvent')} aria-current={current === 'newEvent' ? 'page' : undefined}>
      New event
    </a>
  </nav>
);
