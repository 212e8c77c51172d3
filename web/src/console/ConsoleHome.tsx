import { useEffect, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { errorMessage } from '../api/problems.js';
import type { EventPage, Venue } from '../api/types.js';
import { zonesOf } from '../api/venues.js';
import { Alert, Badge, PageTitle, Spinner } from '../components/ui.js';
import { formatWhen, plural } from '../format.js';
import { pathTo } from '../routes.js';
import { ConsoleNav, OrganizerOnly } from './guard.js';

const Overview = () => {
  const [events, setEvents] = useState<EventPage | undefined>();
  const [venues, setVenues] = useState<readonly Venue[] | undefined>();
  const [zones, setZones] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | undefined>();
  const [page, setPage] = useState(1);

  useEffect(() => {
    ok(api.GET('/me/events', { params: { query: { page, pageSize: 20 } } })).then(
      async (r) => {
        setZones(await zonesOf(r.items.map((e) => e.venue.id)));
        setEvents(r);
      },
      (err) => setError(errorMessage(err)),
    );
  }, [page]);
  useEffect(() => {
    ok(api.GET('/me/venues', { params: { query: { pageSize: 100 } } })).then(
      (r) => setVenues(r.items),
      (err) => setError(errorMessage(err)),
    );
  }, []);

  const pages = events ? Math.max(1, Math.ceil(events.total / 20)) : 1;
  return (
    <>
      <div class="page-head">
        <PageTitle title="Organizer console">Organizer console</PageTitle>
        <div class="actions">
          <a class="button button-secondary" href={pathTo('newVenue')}>
            New venue
          </a>
          <a class="button" href={pathTo('newEvent')}>
            New event
          </a>
        </div>
      </div>
      <ConsoleNav current="console" />
      <Alert>{error}</Alert>
      <section aria-labelledby="events-heading">
        <h2 id="events-heading">Your events</h2>
        {!events ? <Spinner label="Loading your events" /> : null}
        {events?.items.length === 0 ? <p class="empty">No events yet. Create a venue, then an event at it.</p> : null}
        {events && events.items.length > 0 ? (
          <div class="table-wrap">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">When (venue time)</th>
                  <th scope="col">Venue</th>
                  <th scope="col">Sold or held</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {events.items.map((e) => (
                  <tr>
                    <th scope="row">
                      <a href={pathTo('manageEvent', { id: e.id })}>{e.name}</a>
                    </th>
                    <td>{formatWhen(e.startsAt, zones.get(e.venue.id) ?? 'UTC')}</td>
                    <td>{e.venue.name}</td>
                    <td>
                      {(e.capacity - e.available).toLocaleString('en-GB')} of {e.capacity.toLocaleString('en-GB')}
                    </td>
                    <td>
                      {e.status === 'cancelled' ? (
                        <Badge tone="bad">Cancelled</Badge>
                      ) : Date.parse(e.startsAt) < Date.now() ? (
                        <Badge tone="neutral">Past</Badge>
                      ) : (
                        <Badge tone="good">Scheduled</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {pages > 1 ? (
          <nav class="pager" aria-label="Pages of events">
            <button type="button" class="button button-secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous page
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button type="button" class="button button-secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next page
            </button>
          </nav>
        ) : null}
      </section>
      <section aria-labelledby="venues-heading">
        <h2 id="venues-heading">Your venues</h2>
        {venues?.length === 0 ? <p class="empty">No venues yet.</p> : null}
        <ul class="venue-list">
          {(venues ?? []).map((v) => (
            <li class="card">
              <h3>{v.name}</h3>
              <p class="muted small">
                {v.address}, {v.city}, {v.country} · {v.timezone}
              </p>
              <p>
                {plural(v.capacity, 'place')} in {plural(v.layout.sections.length, 'section')}
              </p>
              <a href={`${pathTo('newEvent')}?venue=${encodeURIComponent(v.id)}`}>New event here</a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
};

export const ConsoleHome = () => (
  <OrganizerOnly>
    <Overview />
  </OrganizerOnly>
);
