import { useEffect, useState } from 'preact/hooks';

/** The signed-in user, kept in localStorage so a reload (or the pay page's return) keeps it. */

export type User = { readonly id: string; readonly email: string; readonly name: string; readonly role: 'customer' | 'organizer' };
export type Session = { readonly token: string; readonly user: User };

const KEY = 'marquee.session';

const read = (): Session | undefined => {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
};

type Listener = (s: Session | undefined) => void;
const listeners = new Set<Listener>();

export const session = {
  value: read(),
};

const publish = (s: Session | undefined): void => {
  session.value = s;
  for (const l of listeners) l(s);
};

export const signIn = (s: Session): void => {
  localStorage.setItem(KEY, JSON.stringify(s));
  publish(s);
};

export const signOut = (): void => {
  localStorage.removeItem(KEY);
  publish(undefined);
};

// Another tab signed in or out.
addEventListener('storage', (e) => {
  if (e.key === KEY) publish(read());
});

export const useSession = (): Session | undefined => {
  const [s, set] = useState(session.value);
  useEffect(() => {
    listeners.add(set);
    set(session.value);
    return () => void listeners.delete(set);
  }, []);
  return s;
};
