import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';

/*
 * Environment variables are strings. These decorators convert the few non-string shapes a service
 * needs, and leave anything unconvertible as the original string so validation reports it.
 */

const INTEGER_PATTERN = /^[+-]?\d+$/;
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function toInteger(value: unknown): unknown {
  return typeof value === 'string' && INTEGER_PATTERN.test(value.trim()) ? Number(value.trim()) : value;
}

function toBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}

/** An integer within [min, max]; one message for every way the value can be wrong. */
export function EnvInteger(range: { min: number; max: number }): PropertyDecorator {
  const message = `must be an integer between ${range.min} and ${range.max}`;
  return applyDecorators(
    Transform(({ value }) => toInteger(value)),
    IsInt({ message }),
    Min(range.min, { message }),
    Max(range.max, { message }),
  );
}

/** A TCP port. */
export function EnvPort(): PropertyDecorator {
  return EnvInteger({ min: 1, max: 65535 });
}

/** `true/false`, `1/0`, `yes/no` or `on/off`, case-insensitive. */
export function EnvBoolean(): PropertyDecorator {
  return applyDecorators(Transform(({ value }) => toBoolean(value)), IsBoolean({ message: 'must be true or false' }));
}

/** Any non-empty text. */
export function EnvText(): PropertyDecorator {
  const message = 'must be a non-empty string';
  return applyDecorators(IsString({ message }), IsNotEmpty({ message }));
}
