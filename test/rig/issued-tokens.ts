/**
 * Remembers the most recent tokens a stand-in handed out, so tests can scan captured output for every
 * token the rig issued (`rig.secrets()`), not only the passwords they configured. Each token is also
 * registered with the secret harness (test/support/secret-harness.ts) as it is handed out.
 */
import { registerSecrets } from '../support/secret-registry';

/** How many tokens each stand-in remembers; older ones are forgotten first. */
const LIMIT = 5_000;

/** A bounded list of issued tokens. */
export class IssuedTokens {
  private readonly tokens: string[] = [];
  private total = 0;

  /** `kind` names the tokens in the harness's failure messages ("ACR token"). */
  constructor(private readonly kind = 'rig token') {}

  /** Records `token` and returns it. */
  add(token: string): string {
    this.total++;
    registerSecrets(this.kind, token);
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
