import { normaliseEmail } from './email';

describe('normaliseEmail', () => {
  it.each([
    ['zhang@example.com', 'zhang@example.com'],
    ['  Zhang.San@Example.COM ', 'zhang.san@example.com'],
    ['ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'zhang@example.com'],
    ['ＺＨＡＮＧ＠ＱＱ．ＣＯＭ', 'zhang@qq.com'],
    ['zhang@qq。com', 'zhang@qq.com'],
    ['mailto:zhang@example.com', 'zhang@example.com'],
    ['MAILTO:Zhang@Example.com', 'zhang@example.com'],
    ['\u200bzhang@example.com\ufeff', 'zhang@example.com'],
    ['first.last+crm@sub.example.com.cn', 'first.last+crm@sub.example.com.cn'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['12345678@qq.com', '12345678@qq.com'],
    ['user@example.xn--fiqs8s', 'user@example.xn--fiqs8s'],
    ['张三@例子.中国', '张三@例子.中国'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
  ])('%j → %s', (raw, expected) => {
    expect(normaliseEmail(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['zhang.example.com', 'missing @'],
    ['zhang san@example.com', 'contains spaces'],
    ['zhang@exa mple.com', 'contains spaces'],
    ['zhang@example', 'bad domain'],
    ['zhang@example.c', 'bad domain'],
    ['zhang@-example.com', 'bad domain'],
    ['zhang@example-.com', 'bad domain'],
    ['zhang@example..com', 'bad domain'],
    ['zhang@.example.com', 'bad domain'],
    ['zhang@127.0.0.1', 'bad domain'],
    ['zhang@[127.0.0.1]', 'bad domain'],
    ['zhang@exam_ple.com', 'bad domain'],
    [`zhang@${'a'.repeat(64)}.com`, 'bad domain'],
    ['zhang@', 'bad domain'],
    ['@example.com', 'bad name before @'],
    ['.zhang@example.com', 'bad name before @'],
    ['zhang.@example.com', 'bad name before @'],
    ['zh..ang@example.com', 'bad name before @'],
    ['"zhang"@example.com', 'bad name before @'],
    [`${'a'.repeat(65)}@example.com`, 'bad name before @'],
    ['a@b@example.com', 'more than one @'],
    [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`, 'longer than 254 characters'],
    ['user@xn--fiqs8s', 'bad domain'],
    ['x'.repeat(5_000), 'longer than 254 characters'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['mailto:', 'empty'],
  ])('%j is invalid (%s)', (raw, reason) => {
    const result = normaliseEmail(raw);
    expect(result).toMatchObject({ ok: false, code: 'invalid_email' });
    if (!result.ok) expect(result.message).toContain(reason);
  });

  it('names the rejected value in the message', () => {
    expect(normaliseEmail('zhang.example.com')).toEqual({
      ok: false,
      code: 'invalid_email',
      message: '"zhang.example.com" is not a valid email address: missing @',
    });
  });

  it('does not throw on non-strings', () => {
    for (const raw of [undefined, null, 42, {}, []]) {
      expect(normaliseEmail(raw as unknown as string)).toMatchObject({ ok: false, code: 'invalid_email' });
    }
  });
});
