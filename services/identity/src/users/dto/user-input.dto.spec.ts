import type { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe, ValidationFailedError } from '@crm/platform/errors';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto } from './user-input.dto';

const pipe = createValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

async function fieldErrors(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.catch((thrown: unknown) => thrown);
  if (!(error instanceof ValidationFailedError)) throw new Error(`expected a validation failure, got ${String(error)}`);
  return (error.errors ?? []).map((entry) => `${entry.field}: ${entry.message}`);
}

describe('user DTOs', () => {
  it('trims names and normalises phone numbers to E.164', async () => {
    const dto = (await pipe.transform({ name: '  李雷 ', email: ' li.lei@example.cn ', phone: '138 1234 5678' }, body(CreateUserDto))) as CreateUserDto;

    expect(dto).toMatchObject({ name: '李雷', email: 'li.lei@example.cn', phone: '+8613812345678' });
  });

  it('names every invalid field', async () => {
    const errors = await fieldErrors(
      pipe.transform({ name: '', email: 'not-an-address', password: 'short', roles: ['owner'], locale: 'fr', timeZone: 'UTC+8', seniority: 'guru' }, body(CreateUserDto)),
    );

    expect(errors).toEqual(
      expect.arrayContaining([
        'name: name should not be empty',
        'email: email must be an email',
        'password: password must be at least 10 characters long',
        'roles: each value in roles must be one of the following values: admin, manager, rep, agent, marketer, analyst',
        'locale: locale must be one of the following values: zh-CN, en',
        'timeZone: timeZone must be an IANA time zone such as Asia/Shanghai',
        'seniority: seniority must be one of the following values: junior, intermediate, senior, lead',
      ]),
    );
  });

  it('lets a PATCH clear the phone and seniority with null, and refuses unknown fields', async () => {
    await expect(pipe.transform({ phone: null, seniority: null }, body(UpdateUserDto))).resolves.toMatchObject({ phone: null, seniority: null });
    expect(await fieldErrors(pipe.transform({ passwordHash: 'x' }, body(UpdateUserDto)))).toEqual(['passwordHash: property passwordHash should not exist']);
  });

  it('reads list filters from the query string', async () => {
    const query = (await pipe.transform({ active: 'false', total: 'true', limit: '20', role: 'rep' }, { type: 'query', metatype: ListUsersQueryDto })) as ListUsersQueryDto;

    expect(query).toMatchObject({ active: false, total: true, limit: 20, role: 'rep' });
    expect(await fieldErrors(pipe.transform({ limit: '1000', active: 'maybe' }, { type: 'query', metatype: ListUsersQueryDto }))).toEqual(
      expect.arrayContaining(['limit: limit must not be greater than 200', 'active: active must be a boolean value']),
    );
  });
});
