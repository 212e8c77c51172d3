import type { EventDecoder } from '../../../src/commands/event-store/index.js';
import type { Decider } from '../../../src/domain/shared/index.js';
import { DomainError } from '../../../src/domain/shared/index.js';

/**
 * A small real decider for exercising the stream writer on its own: keys are
 * claimed all or nothing, never twice. `Poison` yields an event the store cannot
 * serialise (a bigint), which is how the tests make a real append fail.
 */
export type ClaimCommand = { readonly type: 'Claim'; readonly by: string; readonly keys: readonly string[] } | { readonly type: 'Poison' };

export type ClaimEvent =
  | { readonly type: 'Claimed'; readonly data: { readonly by: string; readonly keys: readonly string[] } }
  | { readonly type: 'Poisoned'; readonly data: { readonly value: bigint } };

export type ClaimState = { readonly owners: ReadonlyMap<string, string>; readonly claims: number };

export const claimsDecider: Decider<ClaimCommand, ClaimEvent, ClaimState> = {
  initialState: { owners: new Map(), claims: 0 },
  decide: (command, state) => {
    switch (command.type) {
      case 'Claim': {
        if (command.keys.length === 0) throw new DomainError('invalid-input', 'nothing to claim');
        const taken = command.keys.filter((k) => state.owners.has(k));
        if (taken.length > 0) throw new DomainError('seats-unavailable', `taken: ${taken.join(', ')}`, { unavailable: taken });
        return [{ type: 'Claimed', data: { by: command.by, keys: command.keys } }];
      }
      case 'Poison':
        return [{ type: 'Poisoned', data: { value: 1n } }];
      default: {
        const _: never = command;
        return _;
      }
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'Claimed': {
        const owners = new Map(state.owners);
        for (const k of event.data.keys) owners.set(k, event.data.by);
        return { owners, claims: state.claims + 1 };
      }
      case 'Poisoned':
        return state;
      default: {
        const _: never = event;
        return _;
      }
    }
  },
};

/** The claims streams' decoder: only this test's events are ever appended to them, so the data is trusted. */
export const claimEvent: EventDecoder<ClaimEvent> = (type, data) => {
  if (type !== 'Claimed') throw new TypeError(`a claims stream holds a ${type} event`);
  return { type, data: data as Extract<ClaimEvent, { type: 'Claimed' }>['data'] };
};
