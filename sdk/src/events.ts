import type { WireEventInput } from '@leadbeam/protocol';

export type EventType = WireEventInput['type'];

/** The fields of an event of `type` that its producer supplies (id, ts and url are added). */
export type EventFields<T extends EventType> = {
  [K in keyof Omit<Extract<WireEventInput, { type: T }>, 'id' | 'ts' | 'type' | 'url'>]: Extract<
    WireEventInput,
    { type: T }
  >[K];
};

/**
 * Records an event. `urgent` events come from clicks and submits that may leave the page: they
 * are beaconed at once instead of waiting for the debounced send.
 */
export type Emit = <T extends EventType>(type: T, fields: EventFields<T>, urgent?: boolean) => void;

/** Adds an event listener (on `document` unless told) that is removed again when the SDK stops. */
// biome-ignore lint/suspicious/noExplicitAny: each listener narrows its own event type
export type Listen = (type: string, handler: (event: any) => void, target?: EventTarget) => void;
