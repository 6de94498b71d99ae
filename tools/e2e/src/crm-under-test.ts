import 'reflect-metadata';
import { service as gatewayService } from '@crm/gateway';
import { service as identityService } from '@crm/identity';
import { createService, type RunningService } from '@crm/platform/bootstrap';
import { createTestDatabase, type TestDatabase } from '@crm/testing';

export const PASSWORD = 'Correct-Horse-42';

/**
 * The real identity service on a fresh database with the real gateway in front, each on its own port,
 * wired as in production: the gateway finds identity by IDENTITY_URL and they share the internal secret
 * that jest's global setup put in the environment.
 */
export class CrmUnderTest {
  private constructor(
    readonly identity: RunningService,
    readonly gateway: RunningService,
    private readonly database: TestDatabase,
  ) {}

  static async start(label: string, env: { identity?: Record<string, string>; gateway?: Record<string, string> } = {}): Promise<CrmUnderTest> {
    const database = await createTestDatabase(label);
    const quiet = { LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '1000' };
    let identity: RunningService | undefined;
    try {
      identity = await createService(identityService, {
        host: '127.0.0.1',
        port: 0,
        databaseUrl: database.url,
        runMigrations: true,
        env: { ...quiet, EVENT_TRANSPORT: 'in-process', ...env.identity },
      });
      const gateway = await createService(gatewayService, {
        host: '127.0.0.1',
        port: 0,
        env: { ...quiet, IDENTITY_URL: identity.url, ...env.gateway },
      });
      return new CrmUnderTest(identity, gateway, database);
    } catch (error) {
      await identity?.close();
      await database.drop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    await this.identity.close();
    await this.database.drop();
  }

  /** A request to the public API through the gateway, as a browser or integrator sends it. */
  async call(method: string, path: string, options: { token?: string; apiKey?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['x-api-key'] = options.apiKey;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.gateway.url}/api/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  async signup(tenantName: string, email: string): Promise<{ tenantId: string; userId: string; accessToken: string; refreshToken: string }> {
    const response = await this.call('POST', '/auth/signup', { body: { tenantName, name: tenantName, email, password: PASSWORD } });
    if (response.status !== 201) throw new Error(`signup ${email}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { tenantId: string; userId: string; accessToken: string; refreshToken: string };
  }

  async login(email: string, password = PASSWORD): Promise<string> {
    const response = await this.call('POST', '/auth/login', { body: { email, password } });
    if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${JSON.stringify(response.body)}`);
    return (response.body as { accessToken: string }).accessToken;
  }
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary JSON
  body: any;
}
