import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { Client, type ClientInfo } from '../common/client-info';
import { CreatedUserDto, UserDto, UserPageDto } from './dto/user.dto';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto } from './dto/user-input.dto';
import { UsersService } from './users.service';
import { etagOf, expectedVersion, type Page } from '@crm/platform/api';

/** Everyone sees the users in their scope: admins the tenant, managers their teams, others themselves. */
@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermissions('users:read')
  @ApiOperation({ summary: 'Users in your scope' })
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() query: ListUsersQueryDto): Promise<Page<UserDto>> {
    return this.users.list(query);
  }

  @Post()
  @RequirePermissions('users:write')
  @ApiOperation({ summary: 'Create a user; without a password one is generated and returned once' })
  @ApiCreatedResponse({ type: CreatedUserDto })
  async create(@Body() body: CreateUserDto, @Client() client: ClientInfo, @Res({ passthrough: true }) res: Response): Promise<CreatedUserDto> {
    const user = await this.users.create(body, client);
    res.setHeader('etag', etagOf(user.version));
    return user;
  }

  @Get(':id')
  @RequirePermissions('users:read')
  @ApiOperation({ summary: 'A user in your scope' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<UserDto> {
    const user = await this.users.get(id);
    res.setHeader('etag', etagOf(user.version));
    return user;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user; `active: false` deactivates. Your own name, phone, locale and time zone need no permission' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the user changed since' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserDto> {
    const user = await this.users.update(id, body, expectedVersion(ifMatch, body.version), client);
    res.setHeader('etag', etagOf(user.version));
    return user;
  }
}
