import type { Utm, WireContext } from '@leadbeam/protocol';
/**
 * The device context sent with every batch; `utm` belongs to the session. Language tags and
 * IANA zone names are far below the 128-character wire limit, so they are not cut.
 */
export const readContext = (utm: Utm | undefined): WireContext =>
  ({
    locale: navigator.language,
    screen: `${screen.width}x${screen.height}`,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    utm,
  }) as WireContext;
