import { Controller, Get, Module, Param } from '@nestjs/common';
import { Public } from '@crm/platform/auth';
import type { ServiceDefinition } from '@crm/platform/bootstrap';

/**
 * A small JSON answer, so the bench measures the HTTP path rather than the handler. Public, so the
 * figures do not depend on who the gateway says is calling (its credential is still required).
 */
@Public()
@Controller('customers')
class BenchCustomersController {
  @Get(':id')
  get(@Param('id') id: string): Record<string, unknown> {
    return { id, kind: 'person', name: '张三', tier: 'gold', tags: ['vip', 'repeat-buyer'], updatedAt: '2026-01-01T00:00:00.000Z' };
  }
}

@Module({ controllers: [BenchCustomersController] })
class BenchCustomersModule {}

/** Stands in for the customers service behind the gateway. */
export const benchUpstream: ServiceDefinition = { name: 'customers', defaultPort: 0, module: BenchCustomersModule };
