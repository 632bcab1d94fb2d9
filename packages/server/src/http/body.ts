import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { OAuthError } from '../errors.js';

function tooLarge(): OAuthError {
  return new OAuthError('invalid_request', 'The request body is too large', { status: 413 });
}

function readIncoming(incoming: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    incoming.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    incoming.once('error', reject);
    // A client that hangs up mid-body never sends 'end'; without this the read would wait forever.
    incoming.once('close', () => {
      if (!incoming.readableEnded) reject(new OAuthError('invalid_request', 'The request body was cut short'));
    });
  });
}

async function readStream(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The request body, refused with 413 as soon as it passes `limit` bytes, whether or not a
 * Content-Length announced it. Under Node it is read straight from the socket, sparing the
 * Fetch Request that reading through Hono would build for every form post.
 */
export async function readBody(c: Context, limit: number): Promise<Buffer> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw tooLarge();
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  // Only the adapter's own stream: an in-process request (the console's) carries its body itself.
  if (incoming instanceof Readable && !incoming.readableEnded && incoming.readableLength === 0 && !incoming.readableDidRead)
    return readIncoming(incoming, limit);
  return readStream(c.req.raw.body, limit);
}
