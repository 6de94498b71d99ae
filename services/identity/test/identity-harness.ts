import 'reflect-metadata';
import { decodeJwt } from 'jose';
import type { InternalIdentity } from '@crm/platform/auth';
import { ServiceHarness } from '@crm/testing';
import { service } from '../src';

export { API } from '@crm/testing';

/** Who the gateway says is calling; what it forwards after verifying a token or key. */
export type Identity = InternalIdentity;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** The identity service on its own fresh database, called the way the gateway calls it. */
export class IdentityHarness extends ServiceHarness {
  static async start(label: string, env: Record<string, string> = {}): Promise<IdentityHarness> {
    const { running, database } = await ServiceHarness.startService(service, label, { env });
    return new IdentityHarness(running, database);
  }

  async signup(tenantName: string, email: string, password = 'Sign-up-Pa55'): Promise<{ tenantId: string; userId: string } & TokenPair> {
    const response = await this.as().post('/auth/signup').send({ tenantName, name: `Admin of ${tenantName}`, email, password }).expect(201);
    return response.body;
  }

  async login(email: string, password: string): Promise<TokenPair> {
    return (await this.as().post('/auth/login').send({ email, password }).expect(200)).body;
  }
}

/** What the gateway forwards for an access token: its claims, as identity headers. */
export function identityOf(accessToken: string): Identity {
  const claims = decodeJwt(accessToken) as { sub: string; tid: string; roles: string[]; teams: string[] };
  return { tenantId: claims.tid, userId: claims.sub, roles: claims.roles, teamIds: claims.teams };
}
