import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the tap `before` script leaves the URL of the embedded test server. */
export const EMBEDDED_TEST_DIR = join(tmpdir(), 'marquee-test-postgres');
export const EMBEDDED_TEST_URL_FILE = join(EMBEDDED_TEST_DIR, 'url');
