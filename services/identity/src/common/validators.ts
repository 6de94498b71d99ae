import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments } from 'class-validator';
import { passwordPolicyViolation } from '../auth/password-policy';
import { isTimeZone, normalizePhone } from '../users/user-fields';

/** Trims surrounding whitespace of a string input, so `"  Li Lei "` is stored as `"Li Lei"`. */
export const Trim = (): PropertyDecorator => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

function rule(name: string, validate: (value: unknown) => boolean, message: (args: ValidationArguments) => string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({ name, target: target.constructor, propertyName: propertyName as string, validator: { validate, defaultMessage: message } });
}

/**
 * Meets the password policy; the message says which rule failed. Environment variables are named by
 * the configuration error itself, hence `nameInMessage: false` there.
 */
export const IsAcceptablePassword = ({ nameInMessage = true } = {}): PropertyDecorator =>
  rule(
    'isAcceptablePassword',
    (value) => typeof value === 'string' && passwordPolicyViolation(value) === undefined,
    (args) => {
      const reason = typeof args.value === 'string' ? passwordPolicyViolation(args.value) : 'must be a string';
      return nameInMessage ? `${args.property} ${reason}` : `${reason}`;
    },
  );

/** An IANA time zone name such as Asia/Shanghai. */
export const IsTimeZone = (): PropertyDecorator =>
  rule('isTimeZone', (value) => typeof value === 'string' && isTimeZone(value), (args) => `${args.property} must be an IANA time zone such as Asia/Shanghai`);

/** A phone number, stored in E.164; mainland mobile numbers may omit +86. Null clears it. */
export const IsPhone = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? (normalizePhone(value) ?? value) : value)),
    rule(
      'isPhone',
      (value) => value === null || (typeof value === 'string' && normalizePhone(value) === value),
      (args) => `${args.property} must be a mainland mobile number (13812345678 or +86 138 1234 5678) or an international number in E.164 (+4930123456)`,
    ),
  );
