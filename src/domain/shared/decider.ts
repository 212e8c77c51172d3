/**
 * A decider: pure functions over a stream's state. `decide` throws DomainError
 * to reject a command and returns [] when the command changes nothing
 * (an idempotent repeat); it never performs I/O, and time and ids arrive in the command.
 */
export type Decider<Command, Event, State> = {
  readonly initialState: State;
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
};

export const fold = <Event, State>(evolve: (state: State, event: Event) => State, state: State, events: Iterable<Event>): State => {
  let s = state;
  for (const e of events) s = evolve(s, e);
  return s;
};
