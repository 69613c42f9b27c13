import fc from 'fast-check';
import { describe, it } from 'vitest';
import { formatReference, parseReference, ReferenceError } from '../../src/ref/reference';

const alnum = fc.string({ unit: fc.constantFrom(...'abcz0189'.split('')), minLength: 1, maxLength: 6 });
const separator = fc.constantFrom('.', '_', '__', '-', '---');
/** A valid path component: alphanumeric runs joined by the allowed separators. */
const component = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([sep, run]) => sep + run).join(''));
const tag = fc
  .tuple(fc.constantFrom(...'aZ9_'.split('')), fc.string({ unit: fc.constantFrom(...'aZ9_.-'.split('')), maxLength: 20 }))
  .map(([first, rest]) => first + rest);
const host = fc.constantFrom('r.io', 'localhost', 'localhost:5000', '127.0.0.1:443', '[::1]:5000', 'my-reg.azurecr.io');

describe('parseReference fuzzing', () => {
  it('never crashes on arbitrary text: returns a reference or throws a ReferenceError', () => {
    const alphabet = fc.constantFrom(...'aZ09:/@._-[]#% \u00e9sha256'.split(''));
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: alphabet, maxLength: 80 }));
    fc.assert(
      fc.property(text, (input) => {
        try {
          const ref = parseReference(input);
          return typeof ref.registry === 'string' && ref.repository.length > 0;
        } catch (err) {
          return err instanceof ReferenceError && err.message.startsWith(`invalid reference ${JSON.stringify(input)}`);
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
        return ref.registry === h && ref.repository === parts.join('/') && formatReference(ref) === input;
      }),
      { numRuns: 2000 },
    );
  });

  it('a valid reference with one character inserted parses or fails with a ReferenceError', () => {
    const valid = fc
      .tuple(host, fc.array(component, { minLength: 1, maxLength: 3 }), tag)
      .map(([h, parts, t]) => `${h}/${parts.join('/')}:${t}@sha256:${'ab'.repeat(32)}`);
    fc.assert(
      fc.property(valid, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (input, at, ch) => {
        const i = at % (input.length + 1);
        const mutated = input.slice(0, i) + ch + input.slice(i);
        try {
          parseReference(mutated);
          return true;
        } catch (err) {
          return err instanceof ReferenceError && err.input === mutated;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
