import { Module } from '@nestjs/common';
import { runServiceProcess } from './run-service-process';

@Module({})
class EmptyModule {}

class ProcessExit extends Error {
  constructor(readonly code: number | undefined) {
    super(`process.exit(${code})`);
  }
}

describe('runServiceProcess', () => {
  let exit: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  const signalListeners = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };

  beforeEach(() => {
    exit = jest.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
      throw new ProcessExit(code === null || code === undefined ? undefined : Number(code));
    });
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    exit.mockRestore();
    stderr.mockRestore();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      for (const listener of process.listeners(signal)) if (!signalListeners[signal].includes(listener)) process.off(signal, listener);
    }
  });

  it('prints invalid configuration as one line, without a stack trace, and exits 1', async () => {
    const started = runServiceProcess({ name: 'sales', defaultPort: 3003, module: EmptyModule }, { env: { PORT: 'abc', LOG_LEVEL: 'chatty' } });

    await expect(started).rejects.toEqual(new ProcessExit(1));
    expect(exit).toHaveBeenCalledWith(1);
    const printed = stderr.mock.calls.map(([text]) => String(text)).join('');
    expect(printed).toBe(
      'Invalid configuration for service "sales": PORT must be an integer between 1 and 65535 (got "abc"); ' +
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "chatty")\n',
    );
  });

  it('names the service and the cause when start-up fails otherwise', async () => {
    const started = runServiceProcess(
      { name: 'sales', defaultPort: 3003, module: EmptyModule, database: { migrations: [] } },
      { env: { DATABASE_URL: undefined, LOG_LEVEL: 'silent' } },
    );

    await expect(started).rejects.toEqual(new ProcessExit(1));
    expect(stderr.mock.calls.map(([text]) => String(text)).join('')).toBe(
      'Invalid configuration for service "sales": DATABASE_URL must be set because the service owns a database (not set)\n',
    );
  });
});
