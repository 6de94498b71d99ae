import iconv from 'iconv-lite';
import { EncodingSniffer, encodingNamed, incompleteTail } from './csv-encoding';

const TEXT = '客户名称,手机\n张三,13800138000\n欧阳娜娜,13900139000\n';

/** Pushes the bytes in chunks of `size`, so characters are split between chunks. */
function sniff(bytes: Buffer, size = 7): string {
  const sniffer = new EncodingSniffer();
  for (let start = 0; start < bytes.length; start += size) sniffer.push(bytes.subarray(start, start + size));
  return sniffer.result();
}

describe('EncodingSniffer', () => {
  it('reads valid UTF-8 as UTF-8, whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 5, 7, 64]) expect(sniff(Buffer.from(TEXT, 'utf8'), size)).toBe('utf-8');
  });

  it('reads a UTF-8 byte order mark as UTF-8', () => {
    expect(sniff(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 1)).toBe('utf-8');
  });

  it('reads GBK and GB18030 as GB18030', () => {
    expect(sniff(iconv.encode(TEXT, 'gbk'))).toBe('gb18030');
    expect(sniff(iconv.encode(TEXT, 'gb18030'), 1)).toBe('gb18030');
  });

  it('takes a file cut in the middle of a character for GB18030', () => {
    const bytes = Buffer.from('张三', 'utf8');
    expect(sniff(bytes.subarray(0, bytes.length - 1))).toBe('gb18030');
  });

  it('reads plain ASCII and an empty file as UTF-8', () => {
    expect(sniff(Buffer.from('name,phone\n'))).toBe('utf-8');
    expect(new EncodingSniffer().result()).toBe('utf-8');
  });
});

describe('incompleteTail', () => {
  it('counts the bytes of a character the next chunk completes', () => {
    const zhang = Buffer.from('张', 'utf8');
    expect(incompleteTail(Buffer.from('ab'))).toBe(0);
    expect(incompleteTail(zhang)).toBe(0);
    expect(incompleteTail(zhang.subarray(0, 1))).toBe(1);
    expect(incompleteTail(zhang.subarray(0, 2))).toBe(2);
    expect(incompleteTail(Buffer.from('😀', 'utf8').subarray(0, 3))).toBe(3);
  });
});

describe('encodingNamed', () => {
  it('knows the names callers use', () => {
    expect(['UTF-8', 'utf8', 'GBK', 'gb2312', 'GB18030'].map(encodingNamed)).toEqual(['utf-8', 'utf-8', 'gb18030', 'gb18030', 'gb18030']);
    expect(encodingNamed('latin1')).toBeUndefined();
  });
});
