import { internalCredentialHeaders } from '@crm/testing';

/** Who the gateway says is calling. */
export interface BenchIdentity {
  tenantId: string;
  userId: string;
  roles: string[];
  teamIds: string[];
}

/** A service's HTTP API called the way the gateway calls it: identity headers signed with the internal credential. */
export class ServiceApi {
  constructor(
    private readonly url: string,
    private readonly identity: BenchIdentity,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { ...internalCredentialHeaders(this.identity), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** The call's body, or an error naming the route when the status is not `expected`. */
  async expect<T>(expected: number, method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.call(method, path, body);
    if (response.status !== expected) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
    return response.body as T;
  }
}
