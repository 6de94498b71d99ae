import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@crm/platform/auth';
import { AuditLog } from './audit-log';
import { AuditEntryDto, AuditEntryPageDto, AuditQueryDto } from './dto/audit-entry.dto';
import { type Page } from '@crm/platform/api';

@ApiTags('audit')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLog) {}

  @Get()
  @RequirePermissions('audit:read')
  @ApiOperation({ summary: "The tenant's audit log, newest first (admins)" })
  @ApiOkResponse({ type: AuditEntryPageDto })
  list(@Query() query: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    const { action, actorId, from, to, limit, cursor, total } = query;
    return this.auditLog.list({ action, actorId, from, to }, { limit, cursor, total });
  }
}
