import { Fragment } from 'react';
import { PersonName } from './PersonName';

/** A user or group ref inside a sentence of the evaluation. */
const REF = /\b(?:user|group):[\w-]+\/[\w.-]*\w/g;

/**
 * A sentence from the evaluation or the backend with every user and group
 * ref in it shown as the person's or team's display name (the ref stays in
 * the name's tooltip).
 */
export function TextWithNames({ text }: { text: string }) {
  const parts: (string | { ref: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(REF)) {
    const at = match.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push({ ref: match[0] });
    last = at + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          <Fragment key={i}>{part}</Fragment>
        ) : (
          <PersonName key={i} entityRef={part.ref} />
        ),
      )}
    </>
  );
}
