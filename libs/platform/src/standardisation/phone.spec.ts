import { parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/max/metadata';
import { prng } from '../random';
import { hasChinaFastPath, normalisePhone, phoneSearchKey } from './phone';

const MOBILE = '+8613800138000';

/** Deterministic, so a failing fuzz case can be reproduced. */
const random = prng;

describe('normalisePhone', () => {
  it.each([
    ['13800138000', MOBILE],
    ['+86 138-0013-8000', MOBILE],
    ['8613800138000', MOBILE],
    ['86 138 0013 8000', MOBILE],
    ['+86 13800138000', MOBILE],
    ['+8613800138000', MOBILE],
    ['(+86)138 0013 8000', MOBILE],
    ['１３８００１３８０００', MOBILE],
    ['＋８６ １３８－００１３－８０００', MOBILE],
    ['0086 138 0013 8000', MOBILE],
    ['138 0013 8000 ', MOBILE],
    [`13800138000${' '.repeat(100)}`, MOBILE],
    ['138.0013.8000', MOBILE],
    [' 138\u00a00013\u30008000\n', MOBILE],
    ['138\u200b0013\u200b8000', MOBILE],
    ['tel:+86-138-0013-8000', MOBILE],
    // A leading 0 is China's trunk prefix: landlines dialled a non-local mobile as 0 + mobile, and old
    // systems stored it that way. The library reads it the same; we accept it rather than lose the contact.
    ['０１３８００１３８０００', MOBILE],
    ['013800138000', MOBILE],
    ['010-12345678', '+861012345678'],
    ['(010)12345678', '+861012345678'],
    ['01012345678', '+861012345678'],
    ['8610 12345678', '+861012345678'],
    ['861012345678', '+861012345678'],
    ['+86 10 1234 5678', '+861012345678'],
    ['+86-010-12345678', '+861012345678'],
    ['+86 (0)10 12345678', '+861012345678'],
    ['0086 010 12345678', '+861012345678'],
    ['021 6123 4567', '+862161234567'],
    ['0755-12345678', '+8675512345678'],
    ['400-810-8888', '+864008108888'],
    ['17012345678', '+8617012345678'],
    ['19912345678', '+8619912345678'],
    ['+1 650 253 0000', '+16502530000'],
    ['+852 2123 4567', '+85221234567'],
    ['00852 2123 4567', '+85221234567'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%j → %s', (raw, expected) => {
    expect(normalisePhone(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['13800138000 ext. 123', 'extension'],
    ['13800138000#123', 'extension'],
    ['010-12345678转123', 'extension in Chinese'],
    ['13800138000,123', 'pause-dialled extension'],
    ['abc', 'letters'],
    ['1380013800a', 'letter among digits'],
    ['1-800-FLOWERS', 'vanity number'],
    ['138001380', 'too short'],
    ['12345', 'too short'],
    ['1380013800000', 'too long'],
    ['13800138000/13900139000', 'two numbers in one field'],
    ['138+00138000', 'plus inside the number'],
    ['14012345678', 'unallocated mobile prefix'],
    ['95588', 'service short code'],
    ['852 2123 4567', 'foreign number without +'],
    ['', 'empty'],
    ['   ', 'blank'],
    ['+', 'plus only'],
    ['1'.repeat(30), 'too many digits'],
    [`1${' '.repeat(100)}`, 'too long to be a number'],
    ['13800138000😀', 'emoji'],
    ['138\u00000138000', 'NUL'],
  ])('%j is invalid (%s)', (raw) => {
    const result = normalisePhone(raw);
    expect(result).toMatchObject({ ok: false, code: 'invalid_phone' });
    if (!result.ok) expect(result.message).toContain(JSON.stringify(raw.slice(0, 40)).slice(1, -1));
  });

  it('names the rejected value in the message', () => {
    expect(normalisePhone('13800138000 ext. 123')).toEqual({
      ok: false,
      code: 'invalid_phone',
      message: '"13800138000 ext. 123" is not a valid phone number: only digits, spaces and + - ( ) . / are allowed (no letters or extensions)',
    });
  });

  it('reads national numbers with another default country', () => {
    expect(normalisePhone('(650) 253-0000', 'US')).toEqual({ ok: true, value: '+16502530000' });
    expect(normalisePhone('2123 4567', 'hk')).toEqual({ ok: true, value: '+85221234567' });
    expect(normalisePhone('+86 138 0013 8000', 'US')).toEqual({ ok: true, value: MOBILE });
    // 0086 is the Chinese international prefix, not the American one.
    expect(normalisePhone('0086 138 0013 8000', 'US').ok).toBe(false);
  });

  it('ignores an unknown default country, so only numbers with + are accepted', () => {
    expect(normalisePhone('+86 138 0013 8000', 'XX')).toEqual({ ok: true, value: MOBILE });
    expect(normalisePhone('13800138000', 'XX').ok).toBe(false);
  });

  it('does not throw on non-strings', () => {
    for (const raw of [undefined, null, 13800138000, {}, [], Symbol('x')]) {
      expect(normalisePhone(raw as unknown as string)).toMatchObject({ ok: false, code: 'invalid_phone' });
    }
  });

  it('uses the mainland fast path (a library upgrade that breaks it must be noticed)', () => {
    expect(hasChinaFastPath()).toBe(true);
  });

  it('agrees with libphonenumber-js on random mainland-looking numbers in many spellings', () => {
    const next = random(86);
    const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
    const shapes = [
      () => `1${digits(10)}`,
      () => `1${'3456789'[Math.floor(next() * 7)]}${digits(9)}`,
      () => `0${digits(2 + Math.floor(next() * 2))}${digits(7 + Math.floor(next() * 2))}`,
      () => `86${digits(9 + Math.floor(next() * 4))}`,
      () => `+86${digits(8 + Math.floor(next() * 5))}`,
      () => `0086${digits(9 + Math.floor(next() * 4))}`,
      () => `+860${digits(9 + Math.floor(next() * 3))}`,
      () => `${['400', '800', '95', '12', '17951', '12593'][Math.floor(next() * 6)]}${digits(5 + Math.floor(next() * 8))}`,
      () => digits(5 + Math.floor(next() * 10)),
    ];
    const disagreements: string[] = [];
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const raw = shapes[i % shapes.length]();
      const parsed = parsePhoneNumberFromString(raw, { defaultCountry: 'CN' }, metadata);
      const expected = parsed?.isValid() ? parsed.number : undefined;
      const result = normalisePhone(raw);
      const actual = result.ok ? result.value : undefined;
      if (actual) valid++;
      if (actual !== expected) disagreements.push(`${raw}: ${actual} vs library ${expected}`);
    }
    expect(disagreements).toEqual([]);
    expect(valid).toBeGreaterThan(2_000);
  });
});

describe('phoneSearchKey', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+86 138-0013-8000', '8613800138000'],
    ['１３８　００１３', '1380013'],
    ['0013', '0013'],
    ['abc', ''],
  ])('%j → %j', (raw, expected) => {
    expect(phoneSearchKey(raw)).toBe(expected);
  });

  it('makes a partial number a substring of the stored number', () => {
    expect(phoneSearchKey(MOBILE)).toContain(phoneSearchKey('0013'));
    expect(phoneSearchKey(MOBILE)).toContain(phoneSearchKey('138-0013'));
  });
});
