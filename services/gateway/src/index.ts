import type { ServiceDefinition } from '@crm/platform/bootstrap';
import { GatewayEnv } from './config/gateway.env';
import { MergedOpenApiSource } from './docs/merged-openapi.source';
import { GatewayModule } from './gateway.module';
import { GatewayProxy } from './proxy/gateway-proxy';

export { GatewayEnv } from './config/gateway.env';
export { ROUTE_TABLE, RouteTable, UPSTREAM_SERVICES, type UpstreamService } from './routes/route-table';

/** The public entry: proxies `/api/v1` to the owning services and serves the merged API document. */
export const service: ServiceDefinition = {
  name: 'gateway',
  defaultPort: 3000,
  module: GatewayModule,
  config: GatewayEnv,
  // Clients talk to the gateway directly; identity comes from their credentials, never their headers.
  trustIdentityHeaders: false,
  rawHttpHandler: GatewayProxy,
  openApiSource: MergedOpenApiSource,
};
