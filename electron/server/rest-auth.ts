import { createHash } from 'node:crypto';
import { CofferError } from '../../shared/errors';
import type { Session } from '../core/vault/session';
import type { Vault } from '../core/vault/vault';

/**
 * Who calls the REST API (docs/rest.md "Authentication"): a service account's key as
 * `Bearer coffer_sak_…` (or `Basic base64(keyId:secret)` when its account allows Basic), or a
 * service credential as `Basic base64(clientId:clientSecret)`. An unlocked session is kept per
 * Authorization header while the roster stands still: any roster change (a key renewed or deleted,
 * a credential revoked, a team rotated) makes the next call unlock again, so nothing revoked
 * outlives the change that revoked it.
 */

interface Cached {
  session: Session;
  /** The roster's last entry when the session was opened. */
  rosterSeq: number;
}

const NOT_ACCEPTED = 'send Authorization: Bearer <service-account key secret>, or Basic with keyId:secret or clientId:clientSecret';

function basicPair(value: string): [string, string] {
  const text = Buffer.from(value, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) throw new CofferError('AUTH', 'Basic credentials must be base64 of id:secret');
  return [text.slice(0, colon), text.slice(colon + 1)];
}

export class RestAuth {
  private readonly sessions = new Map<string, Cached>();
  /** The roster's last entry as read in this turn of the event loop, and this connection's write count then. */
  private seen: { seq: number; writes: number } | undefined;

  constructor(private readonly vault: Vault) {}

  /**
   * Read once per turn of the event loop, by the requests that arrived together, and again after any
   * write of this process: a statement outside a transaction costs a read transaction of its own,
   * which was 6% of the server's time under load. Another process's change is seen by the next turn,
   * as if it had come a moment later than requests that were already in.
   */
  private rosterSeq(): number {
    const db = this.vault.db;
    if (this.seen?.writes !== db.writes) {
      if (this.seen === undefined) setImmediate(() => (this.seen = undefined));
      this.seen = { seq: db.value<number>('SELECT max(seq) FROM roster') ?? 0, writes: db.writes };
    }
    return this.seen.seq;
  }

  /** The caller's session, or AUTH (never saying which part was wrong beyond what the header's shape shows). */
  authenticate(header: string | undefined): Session {
    if (!header) throw new CofferError('AUTH', NOT_ACCEPTED);
    const cacheKey = createHash('sha256').update(header).digest('hex');
    const seq = this.rosterSeq();
    const cached = this.sessions.get(cacheKey);
    if (cached && cached.rosterSeq === seq && !cached.session.isLocked && this.stillValid(cached.session)) return cached.session;
    if (cached) {
      cached.session.lock();
      this.sessions.delete(cacheKey);
    }
    const session = this.unlock(header);
    this.sessions.set(cacheKey, { session, rosterSeq: seq });
    return session;
  }

  /** An account key expires with time, not with a roster change. */
  private stillValid(session: Session): boolean {
    const account = session.roster.accountOfKey(session.principalId);
    const key = account?.keys.get(session.principalId);
    return !key || key.expires === null || key.expires > this.vault.ctx.clock.now();
  }

  private unlock(header: string): Session {
    const bearer = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    if (bearer) return this.vault.unlockAccountKey(bearer[1]!);
    const basic = /^Basic ([A-Za-z0-9+/=]{1,600})$/.exec(header);
    if (!basic) throw new CofferError('AUTH', NOT_ACCEPTED);
    const [id, secret] = basicPair(basic[1]!);
    if (secret.startsWith('coffer_cs_')) return this.vault.unlockCredential(id, secret);
    const session = this.vault.unlockAccountKey(secret);
    const account = session.roster.accountOfKey(session.principalId);
    if (session.principalId !== id || !account?.basicAuth) {
      session.lock();
      throw new CofferError('AUTH', 'Basic authentication is not enabled for this service account, or the key id does not match');
    }
    return session;
  }

  close(): void {
    for (const c of this.sessions.values()) c.session.lock();
    this.sessions.clear();
  }
}
