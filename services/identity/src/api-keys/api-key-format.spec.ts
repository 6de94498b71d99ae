import { displayPrefix, generateApiKey, parseApiKey, secretMatches } from './api-key-format';
import { grantableRoles } from './api-keys.service';

describe('API key format', () => {
  it('generates crm_<keyId>_<secret> keys whose secret matches the stored hash', () => {
    const generated = generateApiKey();
    const parsed = parseApiKey(generated.key);

    expect(generated.key).toMatch(/^crm_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parsed?.keyId).toBe(generated.keyId);
    expect(secretMatches(parsed!.secret, generated.secretHash)).toBe(true);
    expect(generated.key.startsWith(displayPrefix(generated.keyId))).toBe(true);
    expect(generated.secretHash.toString('hex')).not.toContain(parsed!.secret);
  });

  it('refuses anything that is not a key of ours, and a secret that does not match', () => {
    const { key, secretHash } = generateApiKey();

    for (const presented of ['', 'crm_', key.slice(0, -1), `${key}x`, key.replace('crm_', 'abc_'), `Bearer ${key}`]) {
      expect(parseApiKey(presented)).toBeUndefined();
    }
    const other = parseApiKey(generateApiKey().key)!;
    expect(secretMatches(other.secret, secretHash)).toBe(false);
  });

  it('lets a key have its creator’s roles, or any roles when the creator may assign roles', () => {
    expect(grantableRoles(['rep'], ['rep', 'manager'])).toEqual(['rep']);
    expect(grantableRoles(['manager', 'rep'], ['rep'])).toEqual(['rep']);
    expect(grantableRoles(['admin'], ['rep', 'analyst'])).toEqual(['rep', 'analyst']);
  });
});
