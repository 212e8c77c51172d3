import { signOut, useSession } from '../session.js';
import { navigate } from '../router.js';
import { pathTo } from '../routes.js';

export const Header = () => {
  const s = useSession();
  return (
    <header class="site-header">
      <div class="wrap header-inner">
        <a class="brand" href="/" aria-label="Marquee home">
          <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M8 23V9l8 8 8-8v14" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
          <span>Marquee</span>
        </a>
        <nav aria-label="Account">
          <ul class="nav-list">
            <li>
              <a href="/">Events</a>
            </li>
            {s ? (
              <>
                {s.user.role === 'organizer' ? (
                  <li>
                    <a href={pathTo('console')}>Console</a>
                  </li>
                ) : null}
                <li>
                  <a href={pathTo('tickets')}>My tickets</a>
                </li>
                <li>
                  <button
                    type="button"
                    class="link-button"
                    onClick={() => {
                      signOut();
                      navigate('/');
                    }}
                  >
                    Sign out
                  </button>
                </li>
              </>
            ) : (
              <>
                <li>
                  <a href={pathTo('signIn')}>Sign in</a>
                </li>
                <li>
                  <a class="button button-small" href={pathTo('register')}>
                    Create account
                  </a>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
};
