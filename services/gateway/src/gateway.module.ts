import { Module } from '@nestjs/common';
import { AccessTokenVerifier } from './auth/access-token-verifier';
import { ApiKeyVerifier } from './auth/api-key-verifier';
import { GatewayAuth } from './auth/gateway-auth';
import { IdentityClient } from './auth/identity-client';
import { JwksKeys } from './auth/jwks-keys';
import { CorsPolicy } from './cors/cors-policy';
import { MergedOpenApiSource } from './docs/merged-openapi.source';
import { RateLimits } from './limits/rate-limits';
import { PrivacyArchive } from './privacy/privacy-archive';
import { GatewayProxy } from './proxy/gateway-proxy';
import { UpstreamHealthRegistrar } from './upstreams/upstream-health';
import { UpstreamRegistry } from './upstreams/upstream-registry';

@Module({
  providers: [
    UpstreamRegistry,
    UpstreamHealthRegistrar,
    IdentityClient,
    JwksKeys,
    AccessTokenVerifier,
    ApiKeyVerifier,
    GatewayAuth,
    RateLimits,
    CorsPolicy,
    PrivacyArchive,
    GatewayProxy,
    MergedOpenApiSource,
  ],
})
export class GatewayModule {}
