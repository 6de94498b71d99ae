const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Path ids that are not UUIDs name nothing that exists: services answer them as not found rather
 * than letting Postgres reject the cast.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
