import { nameSearchKey, normaliseName, normaliseText, quoteValue } from './text';

describe('normaliseName', () => {
  it.each([
    ['　张三　', '张三'],
    ['ＡＢＣ 公司', 'ABC 公司'],
    ['ＡＢＣ　公司', 'ABC 公司'],
    ['张三', '张三'],
    ['  Zhang   San  ', 'Zhang San'],
    ['Zhang\t\n San', 'Zhang San'],
    ['华为技术有限公司（深圳）', '华为技术有限公司(深圳)'],
    ['ｔｅｓｔ１２３！', 'test123!'],
    ['张\u200b三', '张三'],
    ['\ufeff张三\u200d', '张三'],
    ['张三\u202e', '张三'],
    ['\u3164', ''],
    ['A\u0000B\u001fC\u007f', 'ABC'],
    ['Zhang\u00a0San\u2003Li', 'Zhang San Li'],
    ['Line\u0085Next', 'Line Next'],
    ['Jose\u0301', 'José'],
    ['Jose\u200b\u0301', 'José'],
    ['株式会社ﾃｽﾄ', '株式会社ﾃｽﾄ'],
    ['北京。上海、广州', '北京。上海、广州'],
    ['   ', ''],
    ['', ''],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseName(raw)).toBe(expected);
  });

  it('keeps CJK, other scripts and emoji intact', () => {
    for (const raw of ['欧阳娜娜', '𠮷野家', '김민수', 'Zoë Müller', 'Ñandú', '😀 Happy']) {
      expect(normaliseName(raw)).toBe(raw.normalize('NFC'));
    }
  });

  it('removes unpaired surrogates, which cannot be stored as UTF-8, but keeps pairs', () => {
    expect(normaliseName('张\ud800三')).toBe('张三');
    expect(normaliseName('张\udc00三')).toBe('张三');
    expect(normaliseName('张\ud842\udfb7三')).toBe('张𠮷三');
  });

  it('folds every full-width ASCII character to its half-width twin', () => {
    let fullWidth = '';
    let ascii = '';
    for (let code = 0x21; code <= 0x7e; code++) {
      fullWidth += String.fromCharCode(code + 0xfee0);
      ascii += String.fromCharCode(code);
    }
    expect(normaliseName(fullWidth)).toBe(ascii);
  });

  it('is idempotent', () => {
    for (const raw of ['　ＡＢＣ　　公司\u200b ', 'Jose\u0301', '张 三']) {
      expect(normaliseName(normaliseName(raw))).toBe(normaliseName(raw));
    }
  });

  it('returns an empty string for non-strings instead of throwing', () => {
    expect(normaliseName(undefined as unknown as string)).toBe('');
    expect(normaliseName(42 as unknown as string)).toBe('');
  });
});

describe('normaliseText', () => {
  it('folds free text the same way as names', () => {
    expect(normaliseText(' 互联网／ＩＴ ')).toBe('互联网/IT');
    expect(normaliseText('华东　　上海')).toBe('华东 上海');
  });
});

describe('nameSearchKey', () => {
  it('lower-cases the normalised name, so spellings meet in one key', () => {
    expect(nameSearchKey('ＡＢＣ 公司')).toBe('abc 公司');
    expect(nameSearchKey('abc  公司 ')).toBe('abc 公司');
    expect(nameSearchKey('张三')).toBe('张三');
  });
});

describe('quoteValue', () => {
  it('quotes, escapes and shortens values for problem messages', () => {
    expect(quoteValue('abc')).toBe('"abc"');
    expect(quoteValue('a\u0000b')).toBe('"a\\u0000b"');
    expect(quoteValue('x'.repeat(100))).toBe(`"${'x'.repeat(40)}…"`);
    expect(quoteValue(null)).toBe('null');
    expect(quoteValue(5)).toBe('a number');
  });
});
