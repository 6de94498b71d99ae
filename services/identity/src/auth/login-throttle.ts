import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdentityEnv } from '../config/identity.env';
import { LoginThrottleEntity } from './login-throttle.entity';

/** The outcome of asking to try a password for an address. */
export type LoginAttempt =
  | { allowed: true; /** This attempt is the last one allowed: failing it locks the address. */ locksOnFailure: boolean }
  | { allowed: false; retryAfterS: number };

/**
 * Counts sign-in attempts per e-mail address. An attempt is counted before its password is checked
 * and the count is cleared when it succeeds: concurrent guesses cannot slip past the limit, and the
 * database is not held while the (deliberately slow) password hash runs. The attempt that reaches
 * LOGIN_MAX_FAILURES locks the address for LOGIN_LOCKOUT_S; if its password turns out right, the
 * success clears the lock again. Unknown addresses are counted the same way, so a lock-out never
 * tells whether an account exists.
 */
@Injectable()
export class LoginThrottle {
  constructor(private readonly config: IdentityEnv) {}

  async begin(manager: EntityManager, emailKey: string, now = new Date()): Promise<LoginAttempt> {
    await manager.query(`INSERT INTO login_throttle (email_key, failures, window_started_at) VALUES ($1, 0, $2) ON CONFLICT (email_key) DO NOTHING`, [
      emailKey,
      now,
    ]);
    const repository = manager.getRepository(LoginThrottleEntity);
    const state = await repository.createQueryBuilder('t').where('t.emailKey = :emailKey', { emailKey }).setLock('pessimistic_write').getOneOrFail();
    if (state.lockedUntil && state.lockedUntil > now) {
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1_000)) };
    }
    const windowOver = now.getTime() - state.windowStartedAt.getTime() >= this.config.LOGIN_FAILURE_WINDOW_S * 1_000;
    const failures = (windowOver || state.lockedUntil ? 0 : state.failures) + 1;
    const locksOnFailure = failures >= this.config.LOGIN_MAX_FAILURES;
    await repository.update(
      { emailKey },
      {
        failures,
        windowStartedAt: windowOver || state.lockedUntil ? now : state.windowStartedAt,
        lockedUntil: locksOnFailure ? new Date(now.getTime() + this.config.LOGIN_LOCKOUT_S * 1_000) : null,
      },
    );
    return { allowed: true, locksOnFailure };
  }

  /** A successful sign-in forgets earlier failures (and a lock its own attempt had set). */
  async succeeded(manager: EntityManager, emailKey: string): Promise<void> {
    await manager.getRepository(LoginThrottleEntity).delete({ emailKey });
  }

  get lockoutS(): number {
    return this.config.LOGIN_LOCKOUT_S;
  }
}
