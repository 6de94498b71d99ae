import { isTimeZone, normalizeEmail, normalizePhone } from './user-fields';

describe('user fields', () => {
  it.each([
    ['13812345678', '+8613812345678'],
    ['138 1234 5678', '+8613812345678'],
    ['+86 138-1234-5678', '+8613812345678'],
    ['008613812345678', '+8613812345678'],
    ['+86 10 6552 9988', '+861065529988'],
    ['+49 (30) 1234567', '+49301234567'],
    ['+1 415 555 2671', '+14155552671'],
  ])('normalises the phone number %j to %j', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(['12345678901', '+86 138 1234 567', '+861381234567890', '4930123456', '+0123456', '+86 123', '+1234567890123456', 'phone', ''])('refuses the phone number %j', (input) => {
    expect(normalizePhone(input)).toBeUndefined();
  });

  it.each(['Asia/Shanghai', 'Asia/Chongqing', 'UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires'])('knows the time zone %j', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
  });

  it.each(['Mars/Olympus', '+08:00', 'Asia/', '', 'Asia/Shanghai; DROP'])('refuses the time zone %j', (zone) => {
    expect(isTimeZone(zone)).toBe(false);
  });

  it('compares e-mail addresses without case or surrounding spaces', () => {
    expect(normalizeEmail('  Li.Lei@Example.CN ')).toBe('li.lei@example.cn');
  });
});
