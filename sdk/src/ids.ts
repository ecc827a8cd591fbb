/**
 * A random RFC 4122 version 4 UUID: `crypto.randomUUID` where available (secure contexts), else
 * the one every browser mints for a blob URL (`blob:<origin>/<uuid v4>`) — plain-http pages too.
 */
export const createId = (): string => crypto.randomUUID?.() ?? URL.createObjectURL(new Blob()).slice(-36);

/** True for ids this SDK made (36 characters: a UUID); anything else found in storage is replaced. */
export const isOwnId = (id: unknown): id is string => (id as string | undefined)?.length === 36;
