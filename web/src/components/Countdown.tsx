import { useEffect, useState } from 'preact/hooks';
import { formatCountdown } from '../format.js';

/**
 * Time left on a hold: role `timer` (read on demand, not every second), with
 * one polite announcement when a minute is left, and `onExpire` at zero.
 */
export const Countdown = ({ until, onExpire, label }: { until: string; onExpire?: () => void; label: string }) => {
  const deadline = Date.parse(until);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [deadline]);
  const left = deadline - now;
  useEffect(() => {
    if (left <= 0) onExpire?.();
  }, [left <= 0]);
  const urgent = left <= 60_000;
  return (
    <div class={`countdown${urgent ? ' countdown-urgent' : ''}`}>
      <span class="countdown-label" id="countdown-label">
        {label}
      </span>
      <span role="timer" aria-labelledby="countdown-label" class="countdown-time">
        {formatCountdown(left)}
      </span>
      <span class="visually-hidden" aria-live="polite">
        {urgent && left > 0 ? 'Less than a minute left to pay.' : ''}
      </span>
    </div>
  );
};
