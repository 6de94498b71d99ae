import { spamReason } from './lead-forms.service';

describe('spamReason', () => {
  const now = new Date('2026-03-01T08:00:10.000Z');

  it('accepts a form filled by a person', () => {
    expect(spamReason({ startedAt: '2026-03-01T08:00:00.000Z' }, now)).toBeUndefined();
    expect(spamReason({ startedAt: '2026-03-01T08:00:08.000Z', website: '  ' }, now)).toBeUndefined();
  });

  it('refuses a filled honeypot, a form sent within 2 seconds and a start in the future', () => {
    expect(spamReason({ startedAt: '2026-03-01T08:00:00.000Z', website: 'http://spam.example' }, now)).toBe('honeypot filled');
    expect(spamReason({ startedAt: '2026-03-01T08:00:08.500Z' }, now)).toBe('filled in under 2 seconds');
    expect(spamReason({ startedAt: '2026-03-01T09:00:00.000Z' }, now)).toBe('filled in under 2 seconds');
  });
});
