import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReference, parseReference, ReferenceError } from '../../src/ref/reference';

const component = fc.stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/).filter((c) => c.length > 0 && c.length < 40);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const host = fc.constantFrom('r.io', 'localhost', 'localhost:5000', '127.0.0.1:443', '[::1]:5000', 'my-reg.azurecr.io');

describe('parseReference fuzzing', () => {
  it('never crashes on arbitrary text: returns a reference or throws a ReferenceError', () => {
    const alphabet = fc.constantFrom(...'aZ09:/@._-[]#% \u00e9sha256'.split(''));
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: alphabet, maxLength: 80 }));
    fc.assert(
      fc.property(text, (input) => {
        try {
          const ref = parseReference(input);
          expect(typeof ref.registry).toBe('string');
          expect(ref.repository.length).toBeGreaterThan(0);
        } catch (err) {
          expect(err).toBeInstanceOf(ReferenceError);
          expect((err as Error).message.startsWith(`invalid reference ${JSON.stringify(input)}`)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips generated valid references through formatReference', () => {
    fc.assert(
      fc.property(host, fc.array(component, { minLength: 1, maxLength: 4 }), fc.option(tag), (h, parts, t) => {
        const input = `${h}/${parts.join('/')}${t ? `:${t}` : ''}`;
        const ref = parseReference(input);
        expect(ref.registry).toBe(h);
        expect(ref.repository).toBe(parts.join('/'));
        expect(formatReference(ref)).toBe(input);
      }),
      { numRuns: 2000 },
    );
  });
});
