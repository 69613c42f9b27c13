/**
 * Finds any of many secrets, in every form `secretForms` lists, in long texts in one pass. A rig hands out
 * thousands of tokens and a build prints megabytes, so `indexOf` per form would cost secrets × forms × text:
 * instead a rolling hash over the last WINDOW characters of each form picks candidate positions (a byte
 * table filters first, a map names the candidates) and `startsWith` confirms. The cost is linear in the
 * text whatever the number of secrets; forms are recomputed only for candidates, not kept.
 */
import { secretForms, type SecretSpec } from './secret-scan';

/** `secretForms` refuses secrets under 6 characters, so every form is at least this long. */
const WINDOW = 6;
const BASE = 0x01000193;
/** BASE ** WINDOW modulo 2^32: what the character leaving the window contributed. */
const BASE_POW = Array.from({ length: WINDOW }).reduce<number>((p) => Math.imul(p, BASE), 1);
const FILTER_BITS = 20;
const FILTER_MASK = (1 << FILTER_BITS) - 1;

/** One secret found in one text: which secret (by registration index) and in which form. */
export interface IndexHit {
  secretIndex: number;
  form: 'plain' | 'encoded';
}

/** Hash of `text[end - WINDOW, end)`, the same value `scan` computes while rolling. */
function windowHash(text: string, end: number): number {
  let h = 0;
  for (let i = end - WINDOW; i < end; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

/** Secrets (and what they are, for messages) with a hash index over the ends of their forms. */
export class SecretIndex {
  private readonly secrets: SecretSpec[] = [];
  private readonly kinds: string[] = [];
  private readonly known = new Map<string, number>();
  private readonly filter = new Uint8Array(1 << FILTER_BITS);
  private readonly byHash = new Map<number, Array<[secret: number, form: number]>>();

  /** How many distinct secrets are indexed. */
  get size(): number {
    return this.secrets.length;
  }

  /** What secret `i` is ("rig admin password"); never the secret itself. */
  kind(i: number): string {
    return this.kinds[i] ?? 'unknown';
  }

  /** Adds a secret (once: adding it again returns the first index). Throws for secrets under 6 characters. */
  add(secret: SecretSpec, kind: string): number {
    const key = typeof secret === 'string' ? secret : `${secret.username}\u0000${secret.password}`;
    const existing = this.known.get(key);
    if (existing !== undefined) return existing;
    const forms = secretForms(secret);
    const index = this.secrets.push(secret) - 1;
    this.kinds.push(kind);
    this.known.set(key, index);
    forms.forEach((form, f) => {
      const h = windowHash(form, form.length);
      this.filter[h & FILTER_MASK] = 1;
      const list = this.byHash.get(h);
      if (list) list.push([index, f]);
      else this.byHash.set(h, [[index, f]]);
    });
    return index;
  }

  /** Every secret found in `text`, each once (the first form found), in order of first appearance. */
  scan(text: string): IndexHit[] {
    const hits: IndexHit[] = [];
    const found = new Set<number>();
    let h = 0;
    for (let i = 0; i < text.length; i++) {
      h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
      if (i >= WINDOW) h = (h - Math.imul(text.charCodeAt(i - WINDOW), BASE_POW)) | 0;
      if (i < WINDOW - 1 || this.filter[h & FILTER_MASK] === 0) continue;
      for (const [secret, f] of this.byHash.get(h) ?? []) {
        if (found.has(secret)) continue;
        const form = secretForms(this.secrets[secret]!)[f]!;
        if (i + 1 >= form.length && text.startsWith(form, i + 1 - form.length)) {
          found.add(secret);
          hits.push({ secretIndex: secret, form: f === 0 ? 'plain' : 'encoded' });
        }
      }
    }
    return hits;
  }
}
