import { render } from 'preact';
import { Header } from './components/Header.js';
import { useLocation } from './router.js';
import { Home } from './pages/Home.js';
import { EventPage } from './pages/EventPage.js';
import { BookingPage } from './pages/BookingPage.js';
import { TicketsPage } from './pages/TicketsPage.js';
import { SignInPage, RegisterPage } from './pages/Account.js';
import { PerformerPage } from './pages/PerformerPage.js';
import { NotFound } from './pages/NotFound.js';
import { ConsoleHome } from './console/ConsoleHome.js';
import { VenueEditor } from './console/VenueEditor.js';
import { EventEditor } from './console/EventEditor.js';
import { ManageEvent } from './console/ManageEvent.js';
import { CheckIn } from './console/CheckIn.js';

const Page = () => {
  const { match } = useLocation();
  if (!match) return <NotFound />;
  const id = match.params.id ?? '';
  switch (match.name) {
    case 'home':
      return <Home />;
    case 'event':
      return <EventPage key={id} id={id} />;
    case 'performer':
      return <PerformerPage key={id} id={id} />;
    case 'booking':
      return <BookingPage key={id} id={id} />;
    case 'tickets':
      return <TicketsPage />;
    case 'signIn':
      return <SignInPage />;
    case 'register':
      return <RegisterPage />;
    case 'console':
      return <ConsoleHome />;
    case 'newVenue':
      return <VenueEditor />;
    case 'newEvent':
      return <EventEditor />;
    case 'manageEvent':
      return <ManageEvent key={id} id={id} />;
    case 'checkIn':
      return <CheckIn key={id} id={id} />;
    default: {
      const _: never = match.name;
      return _;
    }
  }
};

const App = () => (
  <>
    <a class="skip-link" href="#main">
      Skip to content
    </a>
    <Header />
    <main id="main" class="wrap">
      <Page />
    </main>
    <footer class="site-footer">
      <div class="wrap">
        <p>
          Marquee · open-source ticketing · <a href="/docs">API docs</a>
        </p>
      </div>
    </footer>
  </>
);

render(<App />, document.getElementById('app')!);
