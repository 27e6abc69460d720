import http from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * One GET that connects only to `addresses` (those the host guard approved), never to
 * whatever a second DNS lookup would say. Resolves with the response head; the body is
 * the caller's to read or discard.
 */
export function sendPinnedRequest(
  url: URL,
  addresses: LookupAddress[],
  headers: OutgoingHttpHeaders,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return send(url, addresses, headers, signal, false);
}

function send(url: URL, addresses: LookupAddress[], headers: OutgoingHttpHeaders, signal: AbortSignal, retried: boolean): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: 'GET', headers, lookup: pinnedLookup(addresses), signal });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      resolve(res);
    });
    // Stays attached after the response: a later error (e.g. abort mid-body) must not go unhandled.
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A keep-alive socket the server closed while idle fails the next request; Node's
      // documented remedy is to retry once on a fresh socket.
      if (!answered && !retried && req.reusedSocket && err.code === 'ECONNRESET' && !signal.aborted) {
        resolve(send(url, addresses, headers, signal, true));
        return;
      }
      reject(err);
    });
    req.end();
  });
}

/** Makes the socket connect to the addresses the guard approved instead of resolving again. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const first = usable[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error(`No approved address for ${hostname}`);
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, first.address, first.family);
    }
  };
}
