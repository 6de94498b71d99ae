import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '@crm/platform/auth';
import { SigningKeys, type PublicJwk } from './signing-keys';

class JwksDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ kty: 'EC', crv: 'P-256', x: '…', y: '…', kid: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', alg: 'ES256', use: 'sig' }],
  })
  keys!: PublicJwk[];
}

@ApiTags('auth')
@Controller('auth/jwks')
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Get()
  @Public()
  @ApiSecurity({})
  // Short: a rotated key must reach verifiers quickly; the gateway refetches on an unknown kid anyway.
  @Header('cache-control', 'public, max-age=60')
  @ApiOperation({ summary: 'Public keys that verify access tokens (RFC 7517 JWK Set)' })
  @ApiOkResponse({ type: JwksDto })
  async jwks(): Promise<JwksDto> {
    return { keys: await this.keys.publicKeys() };
  }
}
