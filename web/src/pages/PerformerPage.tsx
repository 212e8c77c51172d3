import { useEffect, useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { errorMessage } from '../api/problems.js';
import { zonesOf } from '../api/venues.js';
import { Alert, PageTitle, Spinner } from '../components/ui.js';
import { formatMoney, formatWhen } from '../format.js';
import { pathTo } from '../routes.js';

type Performer = Awaited<ReturnType<typeof load>>;
const load = (id: string) => ok(api.GET('/performers/{id}', { params: { path: { id } } }));

export const PerformerPage = ({ id }: { id: string }) => {
  const [p, setP] = useState<Performer | undefined>();
  const [zones, setZones] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    load(id).then(
      async (r) => {
        setZones(await zonesOf(r.upcoming.map((e) => e.venue.id)));
        setP(r);
      },
      (err) => setError(errorMessage(err)),
    );
  }, [id]);
  if (error)
    return (
      <section class="narrow">
        <PageTitle title="Performer not found">Performer not found</PageTitle>
        <Alert>{error}</Alert>
      </section>
    );
  if (!p) return <Spinner />;
  return (
    <section>
      <p class="eyebrow">Performer</p>
      <PageTitle title={p.name}>{p.name}</PageTitle>
      {p.upcoming.length === 0 ? <p>No upcoming events.</p> : null}
      <ul class="booking-list">
        {p.upcoming.map((e) => (
          <li class="card booking-row">
            <div>
              <h2 class="booking-row-title">
                <a href={pathTo('event', { id: e.id })}>{e.name}</a>
              </h2>
              <p class="muted small">
                {formatWhen(e.startsAt, zones.get(e.venue.id) ?? 'UTC')} · {e.venue.name}, {e.venue.city}
              </p>
            </div>
            <div class="booking-row-side">{e.priceFrom !== null ? <p>From {formatMoney(e.priceFrom, e.currency)}</p> : null}</div>
          </li>
        ))}
      </ul>
    </section>
  );
};
