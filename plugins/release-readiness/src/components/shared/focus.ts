/*
 * Where focus goes after a change: back to the control that made it (not the
 * page body, where a keyboard user would have to start again), or to the
 * part of the tab a link names.
 */

/**
 * Focuses the element with `id`, making it focusable first when it is not
 * (a section or list item), and scrolls it into view. Returns whether it was
 * found.
 */
export function focusById(id: string): boolean {
  const element = document.getElementById(id);
  if (!element) return false;
  if (
    !element.matches('a[href], button, input, select, textarea, [tabindex]')
  ) {
    element.setAttribute('tabindex', '-1');
  }
  element.scrollIntoView?.({ block: 'center' });
  element.focus();
  return true;
}

/**
 * Focuses the element with `id` once the current render has settled (the
 * control was disabled while it saved, and a disabled control cannot take
 * focus). React may commit the render that enables it after a first timer
 * fires (a large tab on a busy machine), so it tries again every 50 ms, for
 * up to a second, until the element is there, enabled and focused.
 */
export function focusSoon(id: string, attempts = 20): void {
  setTimeout(
    () => {
      const element = document.getElementById(id);
      const disabled =
        element?.hasAttribute('disabled') ||
        element?.getAttribute('aria-disabled') === 'true';
      if (element && !disabled && focusById(id)) {
        if (document.activeElement === element) return;
      }
      if (attempts > 1) focusSoon(id, attempts - 1);
    },
    attempts === 20 ? 0 : 50,
  );
}
