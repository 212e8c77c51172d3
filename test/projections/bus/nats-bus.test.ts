import t from 'tap';
import { connectNatsBus } from '../../../src/projections/bus/index.js';
import { natsUrlOrSkip } from '../../support/services.js';
import { busContract } from './contract.js';
import { silentLog } from '../helpers.js';

const url = natsUrlOrSkip(t);
if (url) {
  busContract(t, () => connectNatsBus({ url, log: silentLog }));

  t.test('a configured but unreachable NATS server is a clear error at start', async (t) => {
    await t.rejects(connectNatsBus({ url: 'nats://127.0.0.1:1', log: silentLog }), /NATS_URL nats:\/\/127\.0\.0\.1:1 is unreachable/);
  });
}
