import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MeDto } from './dto/me.dto';
import { MeService } from './me.service';

@ApiTags('users')
@Controller('me')
export class MeController {
  constructor(private readonly meService: MeService) {}

  @Get()
  @ApiOperation({ summary: 'You: your user, tenant, roles, permissions and teams' })
  @ApiOkResponse({ type: MeDto })
  me(): Promise<MeDto> {
    return this.meService.me();
  }
}
