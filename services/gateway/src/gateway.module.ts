import { Module } from '@nestjs/common';
import { MergedOpenApiSource } from './docs/merged-openapi.source';
import { GatewayAuth } from './proxy/gateway-auth';
import { GatewayProxy } from './proxy/gateway-proxy';
import { UpstreamHealthRegistrar } from './upstreams/upstream-health';
import { UpstreamRegistry } from './upstreams/upstream-registry';

@Module({
  providers: [UpstreamRegistry, UpstreamHealthRegistrar, GatewayAuth, GatewayProxy, MergedOpenApiSource],
})
export class GatewayModule {}
