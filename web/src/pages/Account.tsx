import { useState } from 'preact/hooks';
import { api, ok } from '../api/client.js';
import { ApiError, errorMessage, fieldIssues } from '../api/problems.js';
import { Alert, Field, PageTitle } from '../components/ui.js';
import { navigate, useLocation } from '../router.js';
import { pathTo } from '../routes.js';
import { signIn, type Session } from '../session.js';

type Errors = Partial<Record<'name' | 'email' | 'password' | 'form', string>>;

/** Where to go after signing in: the page that asked, if it is one of ours. */
const nextPath = (query: URLSearchParams): string => {
  const next = query.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
};

/** A problem's messages under the fields they are about. */
const errorsFrom = (err: unknown): Errors => {
  if (err instanceof ApiError) {
    if (err.type === 'email-taken') return { email: err.message };
    if (err.type === 'invalid-credentials') return { form: err.message };
    const issues = fieldIssues(err.problem);
    if (issues.length > 0) {
      const out: Errors = {};
      for (const i of issues) {
        const f = i.field as keyof Errors;
        if (f === 'name' || f === 'email' || f === 'password') out[f] = sentence(f, i.message);
        else out.form = i.message;
      }
      return out;
    }
  }
  return { form: errorMessage(err) };
};

const sentence = (field: 'name' | 'email' | 'password', zod: string): string => {
  if (field === 'password' && /8/.test(zod)) return 'Use at least 8 characters.';
  if (field === 'email') return 'Enter an email address like name@example.com.';
  if (field === 'name') return 'Enter your name.';
  return zod;
};

const check = (f: { name?: string; email: string; password: string }, register: boolean): Errors => {
  const e: Errors = {};
  if (register && !f.name?.trim()) e.name = 'Enter your name.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) e.email = 'Enter an email address like name@example.com.';
  if (register ? f.password.length < 8 : f.password === '') e.password = register ? 'Use at least 8 characters.' : 'Enter your password.';
  return e;
};

const AccountForm = ({ register }: { register: boolean }) => {
  const { query } = useLocation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const next = nextPath(query);

  const submit = async (e: Event) => {
    e.preventDefault();
    const found = check({ name, email, password }, register);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const session: Session = register
        ? await ok(api.POST('/auth/register', { body: { name: name.trim(), email: email.trim(), password } }))
        : await ok(api.POST('/auth/login', { body: { email: email.trim(), password } }));
      signIn(session);
      navigate(next, { replace: true });
    } catch (err) {
      setErrors(errorsFrom(err));
    } finally {
      setBusy(false);
    }
  };

  const title = register ? 'Create your account' : 'Sign in';
  const other = `${register ? pathTo('signIn') : pathTo('register')}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`;
  return (
    <section class="narrow card account-card">
      <PageTitle title={title}>{title}</PageTitle>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Alert>{errors.form}</Alert>
        {register ? (
          <Field label="Name" error={errors.name}>
            {(p) => <input {...p} name="name" autoComplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
        ) : null}
        <Field label="Email" error={errors.email}>
          {(p) => <input {...p} name="email" type="email" autoComplete="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label="Password" error={errors.password} hint={register ? 'At least 8 characters.' : undefined}>
          {(p) => (
            <input
              {...p}
              name="password"
              type="password"
              autoComplete={register ? 'new-password' : 'current-password'}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="button button-large button-block" disabled={busy}>
          {register ? 'Create account' : 'Sign in'}
        </button>
      </form>
      <p class="muted">
        {register ? 'Already have an account? ' : 'New to Marquee? '}
        <a href={other}>{register ? 'Sign in' : 'Create an account'}</a>
      </p>
    </section>
  );
};

export const SignInPage = () => <AccountForm register={false} />;
export const RegisterPage = () => <AccountForm register />;
