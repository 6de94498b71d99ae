import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityEnv } from '../config/identity.env';
import { SigningKeyEntity } from './signing-key.entity';

export const SIGNING_ALGORITHM = 'ES256';

/** How long an instance keeps using the key it loaded before asking the database again. */
const ACTIVE_KEY_CACHE_MS = 60_000;
/** Retired keys stay published a while longer than their last token lives, for clock skew and caches. */
const RETIRED_KEY_GRACE_MS = 5 * 60_000;

export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
}

/** A public key as published in the JWKS. */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig' };

/**
 * The ES256 keys access tokens are signed with. The first start generates one; a key older than
 * SIGNING_KEY_MAX_AGE_S is retired and replaced, and retired keys stay in the JWKS until every token
 * they signed has expired. Replicas share the keys through the database and take turns (advisory
 * lock) to create one, so there is only ever one active key.
 */
@Injectable()
export class SigningKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger(SigningKeys.name);
  private cached?: { key: ActiveSigningKey; createdAt: Date; loadedAt: number };

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: IdentityEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.active();
  }

  /** The key to sign with now. */
  async active(): Promise<ActiveSigningKey> {
    const cached = this.cached;
    if (cached && Date.now() - cached.loadedAt < ACTIVE_KEY_CACHE_MS && !this.isDue(cached.createdAt)) return cached.key;
    const entity = await this.dataSource.transaction((manager) => this.ensureActive(manager));
    const key = { kid: entity.kid, privateKey: await importJWK(entity.privateJwk, SIGNING_ALGORITHM) };
    this.cached = { key, createdAt: entity.createdAt, loadedAt: Date.now() };
    return key;
  }

  /** Every key a token that has not expired may carry: the active one and recently retired ones. */
  async publicKeys(): Promise<PublicJwk[]> {
    const publishedSince = new Date(Date.now() - this.config.ACCESS_TOKEN_TTL_S * 1_000 - ACTIVE_KEY_CACHE_MS - RETIRED_KEY_GRACE_MS);
    const keys = await this.dataSource
      .getRepository(SigningKeyEntity)
      .createQueryBuilder('k')
      .where(`k.status = 'active'`)
      .orWhere('k.retiredAt >= :publishedSince', { publishedSince })
      .orderBy('k.createdAt', 'DESC')
      .getMany();
    return keys.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: SIGNING_ALGORITHM, use: 'sig' }));
  }

  private isDue(createdAt: Date): boolean {
    const maxAgeS = this.config.SIGNING_KEY_MAX_AGE_S;
    return maxAgeS > 0 && Date.now() - createdAt.getTime() >= maxAgeS * 1_000;
  }

  private async ensureActive(manager: EntityManager): Promise<SigningKeyEntity> {
    const repository = manager.getRepository(SigningKeyEntity);
    const current = await repository.findOneBy({ status: 'active' });
    if (current && !this.isDue(current.createdAt)) return current;
    // Another replica may be doing the same; the lock makes the second one find the first one's key.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('crm.identity.signing-keys'))`);
    const afterLock = await repository.findOneBy({ status: 'active' });
    if (afterLock && !this.isDue(afterLock.createdAt)) return afterLock;
    if (afterLock) await repository.update({ kid: afterLock.kid }, { status: 'retired', retiredAt: new Date() });
    const created = await generateSigningKey();
    await repository.insert(created);
    this.logger.log(afterLock ? `signing key ${afterLock.kid} retired, ${created.kid} active` : `signing key ${created.kid} generated`);
    return created;
  }
}

async function generateSigningKey(): Promise<SigningKeyEntity> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const key = new SigningKeyEntity();
  // RFC 7638 thumbprint: a kid derived from the key itself, the same wherever it is computed.
  key.kid = await calculateJwkThumbprint(publicJwk);
  key.privateJwk = await exportJWK(privateKey);
  key.publicJwk = publicJwk;
  key.status = 'active';
  key.createdAt = new Date();
  key.retiredAt = null;
  return key;
}
