import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePermissions } from '@crm/platform/auth';
import { ProblemDetailsDto } from '@crm/platform/errors';
import { Client, type ClientInfo } from '../common/client-info';
import { CreateTeamDto, TeamDto, TeamPageDto, UpdateTeamDto } from './dto/team.dto';
import { TeamsService } from './teams.service';
import { etagOf, expectedVersion, type Page, PageQueryDto } from '@crm/platform/api';

@ApiTags('teams')
@Controller('teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @RequirePermissions('teams:read')
  @ApiOperation({ summary: 'Teams: every team for an admin, your own teams for everyone else' })
  @ApiOkResponse({ type: TeamPageDto })
  list(@Query() query: PageQueryDto): Promise<Page<TeamDto>> {
    return this.teams.list(query);
  }

  @Post()
  @RequirePermissions('teams:write')
  @ApiOperation({ summary: 'Create a team (a manager creates teams they manage)' })
  @ApiCreatedResponse({ type: TeamDto })
  async create(@Body() body: CreateTeamDto, @Client() client: ClientInfo, @Res({ passthrough: true }) res: Response): Promise<TeamDto> {
    const team = await this.teams.create(body, client);
    res.setHeader('etag', etagOf(team.version));
    return team;
  }

  @Patch(':id')
  @RequirePermissions('teams:write')
  @ApiOperation({ summary: "Rename a team, change its manager (admins) or replace its members" })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag (version) you read; 412 if the team changed since' })
  @ApiOkResponse({ type: TeamDto })
  @ApiNotFoundResponse({ type: ProblemDetailsDto })
  @ApiPreconditionFailedResponse({ type: ProblemDetailsDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateTeamDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TeamDto> {
    const team = await this.teams.update(id, body, expectedVersion(ifMatch, body.version), client);
    res.setHeader('etag', etagOf(team.version));
    return team;
  }
}
