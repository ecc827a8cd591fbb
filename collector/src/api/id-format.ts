/**
 * The ids the API answers: leads (`randomUUID`), events (the SDK's uuid, stored lower-cased) and
 * webhook deliveries (`gen_random_uuid`) are all lower-case uuids, so one strict pattern checks
 * an id before it reaches SQL.
 */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isId = (value: string): boolean => ID_PATTERN.test(value);
