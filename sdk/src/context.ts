import type { Utm, WireContext } from '@leadbeam/protocol';
import { MAX_CONTEXT } from './limits.ts';

/** The device context sent with every batch; `utm` belongs to the session. */
export function readContext(utm: Utm | undefined): WireContext {
  return {
    locale: navigator.language?.slice(0, MAX_CONTEXT),
    screen: `${screen.width}x${screen.height}`,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone?.slice(0, MAX_CONTEXT),
    utm,
  } as WireContext;
}
