import express from 'express';
import request from 'supertest';
import { sendStreamedJson } from './streamJson';

async function* items<T>(list: T[], failAfter?: number) {
  for (const [i, item] of list.entries()) {
    if (i === failAfter) throw new Error('the database went away');
    // A turn of the event loop between items, as pages of a query are.
    await new Promise(resolve => setImmediate(resolve));
    yield item;
  }
}

function appSending(
  object: Record<string, unknown>,
  streamed: () => Record<string, AsyncIterable<unknown>>,
) {
  const app = express();
  app.get('/', (_req, res) => sendStreamedJson(res, object, streamed()));
  return app;
}

describe('sendStreamedJson', () => {
  it('writes what JSON.stringify writes, with the streamed arrays in their places', async () => {
    const object = {
      first: { a: 1, b: [true, null, 'x'] },
      skipped: undefined,
      facts: [],
      empty: [],
      last: 'done',
    };
    const facts = [{ id: 1 }, { id: 2, note: 'é "quoted"' }, { id: 3 }];

    const res = await request(
      appSending(object, () => ({ facts: items(facts), empty: items([]) })),
    ).get('/');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).toBe(JSON.stringify({ ...object, facts }));
  });

  it('writes a stream larger than the connection buffers hold whole', async () => {
    const big = Array.from({ length: 3_000 }, (_, id) => ({
      id,
      text: 'x'.repeat(1_000),
    }));

    const res = await request(
      appSending({ facts: [] }, () => ({ facts: items(big) })),
    ).get('/');

    expect(res.status).toBe(200);
    expect(res.body.facts).toHaveLength(3_000);
    expect(res.body.facts[2_999]).toEqual(big[2_999]);
  });

  it('cuts the connection when the stream fails after the first byte, so a truncated answer is never taken for a whole one', async () => {
    const app = appSending({ gate: 'g', facts: [], after: 1 }, () => ({
      facts: items([{ id: 1 }, { id: 2 }, { id: 3 }], 2),
    }));

    await expect(request(app).get('/')).rejects.toThrow(
      /aborted|socket hang up|ECONNRESET/,
    );
  });
});
