import { copyBoolean, copyDate, copyJson, copyLine, copyText, copyTextArray, COPY_NULL } from './copy-text';
import { csvLine } from './csv-output';

describe('COPY text format', () => {
  it('escapes what separates columns and lines, and writes NULL as \\N', () => {
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText('张三')).toBe('张三');
    expect(copyText(null)).toBe(COPY_NULL);
    expect(copyBoolean(false)).toBe('f');
    expect(copyDate(new Date(Date.UTC(2024, 2, 7)))).toBe('2024-03-07');
    expect(copyJson({ a: 'x\ty' })).toBe('{"a":"x\\\\ty"}');
  });

  it('writes arrays as literals with every element quoted', () => {
    expect(copyTextArray([])).toBe('{}');
    expect(copyTextArray(['VIP', 'a,b', '{x}', 'say "hi"', 'back\\slash', ' '])).toBe('{"VIP","a,b","{x}","say \\\\"hi\\\\"","back\\\\\\\\slash"," "}');
    expect(copyLine(['1', copyText(null)])).toBe('1\t\\N\n');
  });
});

describe('csvLine', () => {
  it('quotes cells that need it and ends lines with CRLF', () => {
    expect(csvLine(['1', 'a,b', 'say "hi"', ' padded', '张三'])).toBe('1,"a,b","say ""hi"""," padded",张三\r\n');
  });
});
