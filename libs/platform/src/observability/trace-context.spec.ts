import { acceptTraceparent, childTraceparent, newTraceparent, traceIdOf } from './trace-context';

describe('trace context', () => {
  const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('accepts valid traceparents and rejects malformed or forbidden ones', () => {
    expect(acceptTraceparent(valid)).toBe(valid);
    expect(acceptTraceparent(valid.toUpperCase())).toBe(valid);
    expect(acceptTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBeUndefined();
    expect(acceptTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(acceptTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01')).toBeUndefined();
    expect(acceptTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7')).toBeUndefined();
    expect(acceptTraceparent(undefined)).toBeUndefined();
  });

  it('creates distinct sampled traces', () => {
    const first = newTraceparent();
    const second = newTraceparent();

    expect(acceptTraceparent(first)).toBe(first);
    expect(first).toMatch(/-01$/);
    expect(traceIdOf(first)).not.toBe(traceIdOf(second));
  });

  it('keeps trace id and flags for a child span and replaces the parent id', () => {
    const child = childTraceparent(valid);

    expect(acceptTraceparent(child)).toBe(child);
    expect(traceIdOf(child)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(child.slice(36, 52)).not.toBe('00f067aa0ba902b7');
    expect(child.endsWith('-01')).toBe(true);
  });
});
