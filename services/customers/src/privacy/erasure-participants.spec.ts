import { parseParticipants } from './erasure-participants';

describe('erasure participants', () => {
  const answering = new Set(['sales', 'ticketing']);

  it('reads a comma-separated list, once each', () => {
    expect(parseParticipants('', answering)).toEqual([]);
    expect(parseParticipants(' sales , ticketing,sales ', answering)).toEqual(['sales', 'ticketing']);
  });

  it('refuses a participant whose answers nobody listens for, and customers itself', () => {
    expect(() => parseParticipants('sales,marketing', answering)).toThrow('names marketing, but no ErasureCompleted contract of it is in ERASURE_ANSWER_CONTRACTS');
    expect(() => parseParticipants('customers', answering)).toThrow('customers answers its own erasures');
  });
});
