import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Keys that must survive restarts because data is encrypted with them (e.g. customers' PII key).
 * Generated on the first start, kept beside the embedded database (same lifetime, same owner-only
 * permissions); an environment variable of the same name wins.
 */
const PERSISTENT_KEYS = ['CUSTOMERS_PII_KEY'] as const;

export function embeddedSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const file = path.join(dataDir, 'secrets.json');
  const stored: Record<string, string> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  let changed = false;
  for (const name of PERSISTENT_KEYS) {
    if (stored[name]) continue;
    stored[name] = randomBytes(32).toString('base64');
    changed = true;
  }
  if (changed) writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  const secrets: Record<string, string> = {};
  for (const name of PERSISTENT_KEYS) secrets[name] = env[name] || stored[name];
  return secrets;
}
