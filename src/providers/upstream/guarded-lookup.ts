import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy';
import { UpstreamBlockedError } from './upstream-blocked.error';

/** The `all: true` form of `dns.lookup`, which the guard always uses so that it sees every answer. */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for `net.connect` that checks what the name resolves to at connect time, so a DNS answer that
 * changes after validation (rebinding) cannot reach a refused address. Any refused answer fails the whole
 * lookup: with mixed answers the address the socket picks is not ours to choose.
 */
export function createGuardedLookup(
  policy: AddressPolicy,
  resolve: Resolver = dnsLookup,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const first = addresses[0];
      if (first === undefined) return callback(notFound(hostname), '');
      for (const { address } of addresses) {
        const verdict = policy.checkAddress(address);
        if (!verdict.allowed) return callback(new UpstreamBlockedError(hostname, verdict), '');
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    hostname,
  });
}
