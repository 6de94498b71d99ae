import { standardiseCustomer, type CustomerWriteInput } from './customer';
import { nameSearchKey, normaliseEmail, normaliseName, normalisePhone, normaliseText, phoneSearchKey } from '@crm/platform/standardisation';

describe('standardiseCustomer', () => {
  it('normalises every present field of a dirty write', () => {
    const input = {
      type: ' Company ',
      name: '　ＡＢＣ  科技有限公司\u200b ',
      nameEn: ' ＡＢＣ  Technology ',
      phones: ['13800138000', '010-12345678'],
      emails: [' Sales＠ABC．com '],
      wechatIds: [' abc_wx ', 'abc_wx'],
      industry: '互联网／ＩＴ',
      region: '华东　上海',
      source: ' 官网 ',
      tags: ['VIP'],
      ownerId: 'u-1',
      customFields: { level: 3 },
    };

    const { value, problems } = standardiseCustomer(input);

    expect(problems).toEqual([]);
    expect(value).toEqual({
      type: 'company',
      name: 'ABC 科技有限公司',
      nameEn: 'ABC Technology',
      phones: ['+8613800138000', '+861012345678'],
      emails: ['sales@abc.com'],
      wechatIds: ['abc_wx'],
      industry: '互联网/IT',
      region: '华东 上海',
      source: '官网',
      tags: ['VIP'],
      ownerId: 'u-1',
      customFields: { level: 3 },
    });
  });

  it('makes 13800138000, +86 138-0013-8000 and 8613800138000 one phone, keeping order', () => {
    const { value, problems } = standardiseCustomer({ phones: ['021 6123 4567', '13800138000', '+86 138-0013-8000', '8613800138000', '+862161234567'] });

    expect(value.phones).toEqual(['+862161234567', '+8613800138000']);
    expect(problems).toEqual([]);
  });

  it('de-duplicates e-mails after folding and lower-casing', () => {
    const { value } = standardiseCustomer({ emails: ['Zhang@Example.com', 'zhang@example.com ', 'ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'li@example.com'] });

    expect(value.emails).toEqual(['zhang@example.com', 'li@example.com']);
  });

  it('de-duplicates tags case-insensitively, keeping the first spelling', () => {
    const { value } = standardiseCustomer({ tags: ['VIP', 'vip', ' ＶＩＰ ', '重点客户', '重点客户 ', 'Vip'] });

    expect(value.tags).toEqual(['VIP', '重点客户']);
  });

  it('de-duplicates long lists too', () => {
    const phones = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? '13800138000' : `+86 139 0013 ${String(8000 + (i % 10)).padStart(4, '0')}`));

    const { value } = standardiseCustomer({ phones });

    expect(value.phones).toEqual(['+8613800138000', '+8613900138001', '+8613900138003', '+8613900138005', '+8613900138007', '+8613900138009']);
  });

  it('reports each invalid value under its own index and leaves it out', () => {
    const { value, problems } = standardiseCustomer({
      phones: ['13800138000', '13800138000 ext. 123', '010-12345678', 'abc'],
      emails: ['zhang.example.com', 'li@example.com'],
    });

    expect(value.phones).toEqual(['+8613800138000', '+861012345678']);
    expect(value.emails).toEqual(['li@example.com']);
    expect(problems.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'phones[1]', code: 'invalid_phone' },
      { field: 'phones[3]', code: 'invalid_phone' },
      { field: 'emails[0]', code: 'invalid_email' },
    ]);
    expect(problems[0].message).toContain('"13800138000 ext. 123"');
  });

  it('reports a name that is empty after normalising as required', () => {
    for (const name of ['', '　 ', '\u200b', null]) {
      const { value, problems } = standardiseCustomer({ name: name as string, phones: [] });

      expect(problems).toEqual([{ field: 'name', code: 'required', message: 'name must not be empty' }]);
      expect(value).toEqual({ phones: [] });
    }
  });

  it('drops blank list entries silently', () => {
    const { value, problems } = standardiseCustomer({ phones: ['', '  ', '13800138000'], emails: [' '], tags: ['', '　', 'VIP'] });

    expect(value).toEqual({ phones: ['+8613800138000'], emails: [], tags: ['VIP'] });
    expect(problems).toEqual([]);
  });

  it('reports values of the wrong type instead of throwing', () => {
    const input = { name: 42, phones: '13800138000', emails: [7], industry: {}, tags: [null, 'VIP', 3] } as unknown as CustomerWriteInput;

    const { value, problems } = standardiseCustomer(input);

    expect(value).toEqual({ emails: [], tags: ['VIP'] });
    expect(problems.map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'name', code: 'invalid_type' },
      { field: 'industry', code: 'invalid_type' },
      { field: 'phones', code: 'invalid_type' },
      { field: 'emails[0]', code: 'invalid_email' },
      { field: 'tags[2]', code: 'invalid_type' },
    ]);
  });

  it('leaves absent fields absent, null optional fields null and unknown fields untouched', () => {
    const addresses = [{ city: '　上海 ' }];

    const { value, problems } = standardiseCustomer({ nameEn: null, phones: null, addresses, extra: undefined } as unknown as CustomerWriteInput);

    expect(value).toEqual({ nameEn: null, phones: null, addresses, extra: undefined });
    expect(value.addresses).toBe(addresses);
    expect(problems).toEqual([]);
  });

  it('does not modify its input', () => {
    const input = { name: ' 张三 ', phones: ['13800138000'], tags: ['a', 'A'] };
    const copy = structuredClone(input);

    standardiseCustomer(input);

    expect(input).toEqual(copy);
  });

  it('reads phones for another country when asked', () => {
    expect(standardiseCustomer({ phones: ['(650) 253-0000'] }, { defaultCountry: 'US' }).value.phones).toEqual(['+16502530000']);
  });

  it('never throws, even on things that are not customers', () => {
    const hostile = Object.defineProperty({}, 'name', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();

    for (const input of [undefined, null, 42, 'customer', [], [1], hostile, revoked.proxy]) {
      const result = standardiseCustomer(input as CustomerWriteInput);

      expect(result.value).toEqual({});
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({ field: '', code: 'invalid_type' });
    }
  });
});

/** Deterministic fuzzing: random strings from the characters real imports break on. */
describe('fuzz', () => {
  let state = 20240601;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const POOLS = [
    () => String.fromCharCode(0x20 + Math.floor(next() * 95)), // printable ASCII
    () => String.fromCharCode(Math.floor(next() * 0x20)), // C0 controls, NUL included
    () => String.fromCharCode(0x7f + Math.floor(next() * 0x22)), // DEL, C1 controls, NBSP
    () => String.fromCharCode(0xff01 + Math.floor(next() * 0x5e)), // full-width ASCII
    () => String.fromCharCode(0x4e00 + Math.floor(next() * 0x5000)), // CJK
    () => pick(['\u3000', '\u200b', '\u200d', '\u202e', '\ufeff', '\u0301', '\u3002', '\uff0b', '@', '.', '+', '-']),
    () => String.fromCodePoint(0x1f300 + Math.floor(next() * 0x300)), // emoji (surrogate pairs)
    () => String.fromCharCode(0xd800 + Math.floor(next() * 0x800)), // lone surrogates
    () => String.fromCharCode(0x30 + Math.floor(next() * 10)), // digits
  ];
  /** Mostly short strings, and 1% very long ones (10,000–40,000 characters). */
  const randomString = (): string => {
    const length = next() < 0.01 ? 10_000 + Math.floor(next() * 30_000) : Math.floor(next() * 40);
    const chars: string[] = [];
    for (let i = 0; i < length; i++) chars.push(pick(POOLS)());
    return chars.join('');
  };
  const samples = Array.from({ length: 4_000 }, randomString);

  const FULL_WIDTH_ASCII = /[\uff01-\uff5e]/;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\ufeff]/;
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

  /** Fuzz checks collect violations and assert once: thousands of `expect` calls would dominate the run time. */
  function violations(check: (raw: string) => string | undefined): string[] {
    const found: string[] = [];
    for (const raw of samples) {
      const problem = check(raw);
      if (problem) found.push(`${problem}: ${JSON.stringify(raw.slice(0, 60))}`);
    }
    return found;
  }

  it('normaliseName and normaliseText give clean, stable text for any string', () => {
    expect(
      violations((raw) => {
        for (const normalise of [normaliseName, normaliseText]) {
          const out = normalise(raw);
          if (FULL_WIDTH_ASCII.test(out)) return 'full-width left';
          if (INVISIBLE.test(out)) return 'invisible character left';
          if (LONE_SURROGATE.test(out)) return 'lone surrogate left';
          if (/^\s|\s$|\s\s/.test(out)) return 'whitespace not collapsed';
          if (out !== out.normalize('NFC')) return 'not NFC';
          if (normalise(out) !== out) return 'not idempotent';
        }
        return nameSearchKey(raw) === normaliseName(raw).toLowerCase() ? undefined : 'search key differs';
      }),
    ).toEqual([]);
  });

  it('normalisePhone and normaliseEmail answer with a value or a problem, never an exception', () => {
    expect(
      violations((raw) => {
        const phone = normalisePhone(raw);
        if (phone.ok ? !/^\+[1-9][0-9]{6,14}$/.test(phone.value) : phone.code !== 'invalid_phone') return 'bad phone result';
        if (!/^[0-9]*$/.test(phoneSearchKey(raw))) return 'bad phone search key';
        const email = normaliseEmail(raw);
        if (email.ok) {
          if (email.value.length > 254) return 'email too long';
          const again = normaliseEmail(email.value);
          if (!again.ok || again.value !== email.value) return 'email not idempotent';
        } else if (email.code !== 'invalid_email' || email.message.length > 200) return 'bad email problem';
        return undefined;
      }),
    ).toEqual([]);
  });

  it('standardiseCustomer never throws and reports problems only for present fields', () => {
    const values: unknown[] = [undefined, null, 0, true, {}, ['x'], '13800138000', 'a@b.cn'];
    const field = (): unknown => (next() < 0.8 ? pick(samples) : pick(values));
    const PROBLEM_FIELD = /^(type|name|nameEn|phones|emails|wechatIds|industry|region|source|tags)(\[\d\])?$/;
    const found: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const input = {
        type: field(),
        name: field(),
        nameEn: field(),
        phones: next() < 0.9 ? [field(), field()] : field(),
        emails: next() < 0.9 ? [field(), field()] : field(),
        wechatIds: [field()],
        industry: field(),
        region: field(),
        source: field(),
        tags: next() < 0.9 ? [field(), field(), field()] : field(),
      } as CustomerWriteInput;

      const { value, problems } = standardiseCustomer(input);

      for (const problem of problems) {
        if (!PROBLEM_FIELD.test(problem.field) || typeof problem.message !== 'string') found.push(`bad problem ${JSON.stringify(problem)}`);
      }
      for (const phone of (value.phones as unknown[] | undefined) ?? []) {
        if (typeof phone !== 'string' || !/^\+[1-9][0-9]{6,14}$/.test(phone)) found.push(`bad phone ${String(phone)}`);
      }
      if (value.name === '') found.push('empty name kept');
    }
    expect(found).toEqual([]);
  });
});
