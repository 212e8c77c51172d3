import { PageTitle } from '../components/ui.js';

export const NotFound = () => (
  <section class="narrow">
    <PageTitle title="Page not found">Page not found</PageTitle>
    <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
    <p>
      <a class="button" href="/">
        Find events
      </a>
    </p>
  </section>
);
