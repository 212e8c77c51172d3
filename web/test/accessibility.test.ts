import { AxeBuilder } from '@axe-core/playwright';
import t from 'tap';
import { browserSkip, launchBrowser, startServer } from './support/harness.js';
import { tour } from './support/tour.js';

const skip = browserSkip();
if (skip) t.comment(`skipped: ${skip}`);

t.test('every page of the web app (and the local pay page) has no serious or critical axe violation', { skip }, async (t) => {
  const server = await startServer(t);
  const browser = await launchBrowser(t);
  const checked: string[] = [];
  await tour(server, browser, async (name, page) => {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    t.same(
      bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`),
      [],
      `${name}: no serious or critical violations`,
    );
    checked.push(name);
  });
  t.ok(checked.length >= 15, `checked ${checked.length} pages: ${checked.join(', ')}`);
});
