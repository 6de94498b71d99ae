import { generatePassword, passwordPolicyViolation } from './password-policy';

describe('password policy', () => {
  it.each([
    ['short-1A', 'must be at least 10 characters long'],
    ['alllowercaseletters', 'must mix at least two of lower case, upper case, digits and other characters'],
    ['12345678901', 'must mix at least two of lower case, upper case, digits and other characters'],
    ['密码密码密码密码密码密码', 'must mix at least two of lower case, upper case, digits and other characters'],
    ['x'.repeat(257) + '1', 'must be at most 256 characters long'],
  ])('refuses %j', (password, reason) => {
    expect(passwordPolicyViolation(password)).toBe(reason);
  });

  it.each(['lowercase-with-dash', 'UPPER and lower', '密码很长很长很长很长1', 'abcdefghi1'])('accepts %j', (password) => {
    expect(passwordPolicyViolation(password)).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    // Nine emoji are 18 UTF-16 units but only 9 characters.
    expect(passwordPolicyViolation('😀'.repeat(8) + 'a')).toBe('must be at least 10 characters long');
  });

  it('generates distinct passwords that pass the policy', () => {
    const generated = Array.from({ length: 50 }, generatePassword);

    expect(new Set(generated).size).toBe(50);
    for (const password of generated) {
      expect(password).toMatch(/^[a-zA-Z2-9]{20}$/);
      expect(passwordPolicyViolation(password)).toBeUndefined();
    }
  });
});
