import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embeddedSecrets } from './embedded-secrets';

describe('embeddedSecrets', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'crm-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a key on the first start and returns the same one afterwards', () => {
    const first = embeddedSecrets(dir, {});
    expect(Buffer.from(first.CUSTOMERS_PII_KEY, 'base64')).toHaveLength(32);
    expect(embeddedSecrets(dir, {})).toEqual(first);
    expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('lets the environment override a stored key', () => {
    embeddedSecrets(dir, {});
    expect(embeddedSecrets(dir, { CUSTOMERS_PII_KEY: 'from-env' }).CUSTOMERS_PII_KEY).toBe('from-env');
  });
});
