import type { IncomingMessage } from 'node:http';

/** One header of a response, the first when the server repeated it. */
export function responseHeader(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
