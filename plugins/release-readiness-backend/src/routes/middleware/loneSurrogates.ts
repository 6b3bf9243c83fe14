import { InputError } from '@backstage/errors';
import { RequestHandler } from 'express';

/**
 * A UTF-16 surrogate that is not half of a pair. With the `u` flag a pair is
 * one code point, so only a lone half matches.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;

/**
 * Where in a parsed JSON value the first string (or key) holding a lone
 * UTF-16 surrogate is, as `field[0].name`; undefined when there is none.
 * Walks with an explicit stack, so that a deeply nested body cannot exhaust
 * the call stack.
 */
export function findLoneSurrogate(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) return path || 'body';
    } else if (Array.isArray(current)) {
      // Pushed last to first, so that the first bad element is reported.
      for (let index = current.length - 1; index >= 0; index -= 1) {
        stack.push({ value: current[index], path: `${path}[${index}]` });
      }
    } else if (current && typeof current === 'object') {
      for (const [key, item] of Object.entries(current).reverse()) {
        const field = path ? `${path}.${key}` : key;
        if (LONE_SURROGATE.test(key)) {
          return field.replace(LONE_SURROGATES, '\uFFFD');
        }
        stack.push({ value: item, path: field });
      }
    }
  }
  return undefined;
}

/**
 * Refuses lone UTF-16 surrogates (a JSON `"\ud800"` escape without its other
 * half) in the query and the body with a 400 naming the field. Such a string
 * is no text: neither database can store it as UTF-8, and both store U+FFFD
 * instead, so that `1.0\ud800` and `1.0\udfff` would become two releases
 * shown the same, and what was stored would not be what was sent. No person
 * or pipeline means to send one; a pair (an emoji) is text and passes.
 */
export const rejectLoneSurrogates: RequestHandler = (req, _res, next) => {
  const field = findLoneSurrogate(req.query) ?? findLoneSurrogate(req.body);
  if (field) {
    next(
      new InputError(
        `${field}: contains a lone UTF-16 surrogate (half of a character, such as \\ud800), which is not text and cannot be stored; send the whole character`,
      ),
    );
    return;
  }
  next();
};
