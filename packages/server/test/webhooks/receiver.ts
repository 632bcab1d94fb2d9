import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface ReceivedHook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** How the receiver answers one request: a status, a body, headers; `hang` never answers. */
export interface HookAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  hang?: boolean;
}

export interface Receiver {
  port: number;
  /** http://127.0.0.1:<port><path> */
  url(path?: string): string;
  received: ReceivedHook[];
  /** Answers for the next requests, in order; once used up, `otherwise` answers. */
  answers: HookAnswer[];
  otherwise: HookAnswer;
  /** Resolves once `count` requests have arrived (in full). */
  arrived(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1, port 0, as a webhook endpoint. */
export async function startReceiver(): Promise<Receiver> {
  const waiting: { count: number; resolve: () => void }[] = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    port: 0,
    url: (path = '/hook') => `http://127.0.0.1:${receiver.port}${path}`,
    received: [],
    answers: [],
    otherwise: { status: 204 },
    arrived: (count) =>
      new Promise<void>((resolve) => {
        if (receiver.received.length >= count) resolve();
        else waiting.push({ count, resolve });
      }),
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      receiver.received.push({ path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of [...waiting]) {
        if (receiver.received.length >= w.count) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve();
        }
      }
      const answer = receiver.answers.shift() ?? receiver.otherwise;
      if (answer.hang) {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  return receiver;
}
