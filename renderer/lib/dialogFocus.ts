/**
 * Where focus goes when a dialog opens and closes (docs/ui.md, Dialogs): the first field, or the
 * primary action when there is none; back to the element that opened it, or to its successor when
 * a re-render or the action itself removed that element.
 */

const FIELDS = 'input:not([type="hidden"]):not(:disabled), select:not(:disabled), textarea:not(:disabled)';
const PRIMARY = '.dialog-foot [type="submit"]:not(:disabled), .dialog-foot .btn-primary:not(:disabled)';

/** The first field of the dialog's body (a radio group by its checked radio), else its primary action. */
export function initialTarget(dialog: HTMLElement): HTMLElement | null {
  const field = dialog.querySelector<HTMLInputElement>(`.dialog-body :is(${FIELDS})`);
  if (field) {
    if (field.type === 'radio' && field.name) {
      const checked = dialog.querySelector<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(field.name)}"]:checked`);
      return checked ?? field;
    }
    return field;
  }
  return dialog.querySelector<HTMLElement>(PRIMARY);
}

/** Enough about the opener to find it again after React replaced it. */
export interface Opener {
  element: HTMLElement;
  id: string;
  label: string;
  /** Ancestors that carry an id, nearest first: where a successor is looked for. */
  homes: string[];
}

const labelOf = (el: Element) => el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';

export function traceOpener(active: Element | null): Opener | null {
  if (!(active instanceof HTMLElement) || active === document.body) return null;
  const homes: string[] = [];
  // Up to the app's mount point, which holds everything and so says nothing about where the opener was.
  for (let a = active.parentElement; a && a.id !== 'root'; a = a.parentElement) if (a.id) homes.push(a.id);
  return { element: active, id: active.id, label: labelOf(active), homes };
}

const focusable = (el: HTMLElement): boolean =>
  el.isConnected && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';

const CONTROLS = 'button, input, select, textarea, a[href]';

/**
 * The opener when it is still there; else an element with its id, or with its label under the
 * nearest ancestor (with an id) that survived, else that ancestor's first control ("Schedule
 * deletion" gives way to "Cancel deletion"); else the secret table, where every detail panel's
 * action comes from.
 */
export function returnTarget(opener: Opener): HTMLElement | null {
  if (focusable(opener.element)) return opener.element;
  const byId = opener.id ? document.getElementById(opener.id) : null;
  if (byId && focusable(byId)) return byId;
  for (const homeId of opener.homes) {
    const home = document.getElementById(homeId);
    if (!home) continue;
    const same = [...home.querySelectorAll<HTMLElement>(opener.element.tagName)].find((el) => labelOf(el) === opener.label && focusable(el));
    if (same) return same;
    const control = [...home.querySelectorAll<HTMLElement>(CONTROLS)].find(focusable);
    if (control) return control;
  }
  const grid = document.getElementById('secret-grid');
  return grid && focusable(grid) ? grid : null;
}
