export { createLeadbeam, type Leadbeam, type LeadbeamOptions } from './create-leadbeam.ts';
export type { QueuedCall } from './queue.ts';
export type { Scalar } from './sanitize.ts';
