import type { Emit, Listen } from '../events.ts';
import { cleanName } from '../sanitize.ts';

/** Records an `action` for clicks on (or inside) an element with `data-lb-action="name"`. */
export function captureActions(listen: Listen, emit: Emit): void {
  listen(document, 'click', (event: MouseEvent) => {
    const name = cleanName(
      (event.target as Element).closest?.('[data-lb-action]')?.getAttribute('data-lb-action'),
    );
    if (name) emit('action', { name }, true);
  });
}
