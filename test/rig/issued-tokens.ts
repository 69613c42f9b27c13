/**
 * Remembers the most recent tokens a stand-in handed out, so tests can scan captured output for every
 * token the rig issued (`rig.secrets()`), not only the passwords they configured.
 */

/** How many tokens each stand-in remembers; older ones are forgotten first. */
const LIMIT = 5_000;

/** A bounded list of issued tokens. */
export class IssuedTokens {
  private readonly tokens: string[] = [];
  private total = 0;

  /** Records `token` and returns it. */
  add(token: string): string {
    this.total++;
    this.tokens.push(token);
    if (this.tokens.length > LIMIT) this.tokens.splice(0, this.tokens.length - LIMIT);
    return token;
  }

  /** How many were issued in all (including forgotten ones). */
  count(): number {
    return this.total;
  }

  /** The remembered tokens, oldest first. */
  list(): string[] {
    return [...this.tokens];
  }
}
