import { Body, Controller, HttpCode, Post, UseFilters } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { Client, type ClientInfo } from '../common/client-info';
import { AuthService } from './auth.service';
import { LoginDto, RefreshTokenDto, SignupDto, SignupResultDto, TokenPairDto } from './dto/auth.dto';
import { RetryAfterFilter } from './retry-after.filter';

@ApiTags('auth')
// No credentials: these are how a client gets them.
@ApiSecurity({})
@Public()
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @ApiOperation({ summary: 'Create a company (tenant) with you as its admin, and sign in' })
  @ApiCreatedResponse({ type: SignupResultDto })
  @ApiForbiddenResponse({ type: ProblemDetailsDto, description: '`signup_disabled`' })
  signup(@Body() body: SignupDto, @Client() client: ClientInfo): Promise<SignupResultDto> {
    return this.auth.signup(body, client);
  }

  @Post('login')
  @HttpCode(200)
  @UseFilters(RetryAfterFilter)
  @ApiOperation({ summary: 'Sign in with e-mail and password' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: '`invalid_credentials` or `account_inactive`' })
  @ApiTooManyRequestsResponse({ type: ProblemDetailsDto, description: '`login_locked`, with Retry-After' })
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.auth.login(body, client);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for a new token pair; the old refresh token stops working' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: '`invalid_refresh_token`' })
  refresh(@Body() body: RefreshTokenDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken, client);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: the refresh token and every token rotated from the same sign-in stop working' })
  @ApiNoContentResponse()
  logout(@Body() body: RefreshTokenDto, @Client() client: ClientInfo): Promise<void> {
    return this.auth.logout(body.refreshToken, client);
  }
}
