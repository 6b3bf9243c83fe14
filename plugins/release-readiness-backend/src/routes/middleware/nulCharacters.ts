import { InputError } from '@backstage/errors';
import { RequestHandler } from 'express';

/**
 * Where in a parsed JSON value the first string holding a NUL character
 * (U+0000) is, as `field[0].name`; undefined when there is none. Keys count
 * too: they end up in stored JSON as well. Walks with an explicit stack, so
 * that a deeply nested body cannot exhaust the call stack.
 */
export function findNulCharacter(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path || 'body';
    } else if (Array.isArray(current)) {
      current.forEach((item, index) =>
        stack.push({ value: item, path: `${path}[${index}]` }),
      );
    } else if (current && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const field = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return field;
        stack.push({ value: item, path: field });
      }
    }
  }
  return undefined;
}

/**
 * Refuses NUL characters in the path, the query and the body with a 400
 * naming the field. PostgreSQL cannot store U+0000 in text (the insert fails,
 * which would be a 500) and SQLite would store it; refusing it everywhere
 * keeps both databases alike. No person or pipeline means to send one.
 */
export const rejectNulCharacters: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.path)) {
    next(new InputError('path: contains a NUL character (%00)'));
    return;
  }
  const field = findNulCharacter(req.query) ?? findNulCharacter(req.body);
  if (field) {
    next(
      new InputError(
        `${field}: contains a NUL character (\\u0000), which cannot be stored`,
      ),
    );
    return;
  }
  next();
};
