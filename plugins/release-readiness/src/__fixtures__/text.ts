/**
 * A text matcher for a paragraph whose whole text (names rendered by the
 * catalog's display-name component included) matches `expected`.
 */
export function paragraph(expected: string | RegExp) {
  return (_content: string, element: Element | null) =>
    element?.tagName === 'P' &&
    (typeof expected === 'string'
      ? element.textContent === expected
      : expected.test(element.textContent ?? ''));
}
