/** Sends commands ten at a time, one group per event-loop turn, as concurrent requests arrive; settles them all. */
export const arriving = async <T, R>(items: readonly T[], send: (item: T, i: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> => {
  const sent: Promise<PromiseSettledResult<R>>[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % 10 === 0) await new Promise((r) => setImmediate(r));
    sent.push(
      send(items[i] as T, i).then(
        (value) => ({ status: 'fulfilled', value }),
        (reason: unknown) => ({ status: 'rejected', reason }),
      ),
    );
  }
  return Promise.all(sent);
};
