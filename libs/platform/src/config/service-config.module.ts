import { Inject, Module, type DynamicModule, type ValueProvider } from '@nestjs/common';
import { BaseServiceEnv } from './base-service-env';

/** The loaded, validated configuration of the running service. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** The running service's name (`ServiceDefinition.name`). */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** `constructor(@InjectServiceConfig() config: SalesEnv)`; injecting the env class itself works too. */
export const InjectServiceConfig = (): ParameterDecorator => Inject(SERVICE_CONFIG);

/**
 * Makes the configuration injectable everywhere in the service: by token, by its own class and, for
 * platform code that only needs the common variables, as BaseServiceEnv.
 */
@Module({})
export class ServiceConfigModule {
  static forRoot(serviceName: string, config: BaseServiceEnv): DynamicModule {
    const envClass = config.constructor as typeof BaseServiceEnv;
    const providers: ValueProvider[] = [
      { provide: SERVICE_NAME, useValue: serviceName },
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: BaseServiceEnv, useValue: config },
    ];
    if (envClass !== BaseServiceEnv) providers.push({ provide: envClass, useValue: config });
    return {
      module: ServiceConfigModule,
      global: true,
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}
