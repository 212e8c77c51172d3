import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

/** A page's heading: sets the document title and takes focus after navigation, so screen readers hear where they are. */
export const PageTitle = ({ children, title }: { children: ComponentChildren; title: string }) => {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Marquee`;
    if (document.activeElement === document.body || document.activeElement?.closest('header, nav')) ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
};

/** A message next to what caused it: `role=alert` so it is read out when it appears. */
export const Alert = ({ children, tone = 'error', id }: { children: ComponentChildren; tone?: 'error' | 'warning' | 'success' | 'info'; id?: string }) =>
  children ? (
    <p class={`alert alert-${tone}`} role={tone === 'error' || tone === 'warning' ? 'alert' : 'status'} id={id}>
      {children}
    </p>
  ) : null;

type FieldProps = {
  label: string;
  error?: string | undefined;
  hint?: ComponentChildren;
  children: (props: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => JSX.Element;
};

/** A labelled control with its hint and its error below it, wired for assistive technology. */
export const Field = ({ label, error, hint, children }: FieldProps) => {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, ...(error ? { 'aria-invalid': 'true' as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
};

export const Spinner = ({ label = 'Loading' }: { label?: string }) => (
  <p class="loading" role="status">
    <span class="spinner" aria-hidden="true" />
    {label}…
  </p>
);

export const Badge = ({ tone, children }: { tone: 'good' | 'warn' | 'bad' | 'neutral'; children: ComponentChildren }) => (
  <span class={`badge badge-${tone}`}>{children}</span>
);
