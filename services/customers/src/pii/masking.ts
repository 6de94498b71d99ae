const MASK = '*';

/**
 * What a caller without `pii:read` sees of a national ID or bank account number: the first and last
 * four characters of a long number (`1101**********1234`, the length kept), only the last four of a
 * shorter one, and nothing of a very short one. Stored beside the ciphertext, so lists never decrypt.
 */
export function maskIdentifier(value: string): string {
  const chars = [...value];
  const length = chars.length;
  if (length <= 6) return MASK.repeat(length);
  if (length <= 10) return MASK.repeat(length - 4) + chars.slice(-4).join('');
  return chars.slice(0, 4).join('') + MASK.repeat(length - 8) + chars.slice(-4).join('');
}
