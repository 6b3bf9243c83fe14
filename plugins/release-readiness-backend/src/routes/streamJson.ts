import type { Response } from 'express';

/** About how much of a streamed array is written at once. */
const CHUNK_CHARS = 64 * 1024;

/** Writes `chunk`, waiting while the connection's buffer is full. */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    let onClose = () => {};
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('the client closed the connection'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Answers 200 with `object` as JSON, as `JSON.stringify` would write it,
 * but with the arrays named in `streamed` written element by element as
 * their iterators yield them: a long list (a release's thousands of facts)
 * is never held whole, and the client reads the first bytes while the rest
 * is read from the database. `object`'s own value for a streamed key only
 * places it. Once the first byte is sent, a failure cannot become an
 * error status: the connection is cut, so that a client never takes a
 * truncated answer for a whole one.
 */
export async function sendStreamedJson(
  res: Response,
  object: Record<string, unknown>,
  streamed: Record<string, AsyncIterable<unknown>>,
): Promise<void> {
  res.status(200).type('application/json; charset=utf-8');
  try {
    let first = true;
    for (const [key, value] of Object.entries(object)) {
      const items = streamed[key];
      if (!items && value === undefined) continue;
      await write(res, `${first ? '{' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (!items) {
        await write(res, JSON.stringify(value) ?? 'null');
        continue;
      }
      // Items are gathered into chunks of about 64 kB: one write per item
      // costs more (through compression) than the items themselves.
      let index = 0;
      let chunk = '[';
      for await (const item of items) {
        chunk += `${index++ ? ',' : ''}${JSON.stringify(item)}`;
        if (chunk.length >= CHUNK_CHARS) {
          await write(res, chunk);
          chunk = '';
        }
      }
      await write(res, `${chunk}]`);
    }
    await write(res, first ? '{}' : '}');
    res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
