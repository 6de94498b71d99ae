import { Global, Inject, Logger, Module, Optional, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthRegistry } from '../health/health-registry';
import { createDataSource, runMigrations, type DataSourceOptions } from './data-source.factory';
import { DatabaseHealth } from './database.health';
import { TenantTransactions } from './tenant-transactions';

export interface DatabaseModuleOptions extends DataSourceOptions {
  /** Apply pending migrations at start-up (embedded mode, or MIGRATE_ON_START=true). */
  runMigrations?: boolean;
}

const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/** Provides the service's `DataSource` and `TenantTransactions`, connected before the app serves and closed after consumers stop. */
@Global()
@Module({})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseModule.name);

  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        { provide: DataSource, useFactory: () => createDataSource(options) },
        TenantTransactions,
      ],
      exports: [DataSource, TenantTransactions],
    };
  }

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseModuleOptions,
    @Optional() private readonly health?: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.dataSource.initialize();
    if (this.options.runMigrations) {
      const applied = await runMigrations(this.dataSource);
      if (applied.length > 0) this.logger.log(`${this.options.serviceName}: applied migrations ${applied.join(', ')}`);
    }
    this.health?.register(new DatabaseHealth(this.dataSource));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
