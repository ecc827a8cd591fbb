import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { classifyAddress } from './address-class.ts';
import { privateTargetRefused } from './public-target.ts';

/** Every address a host name resolves to; tests pass their own to play a rebinding DNS server. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

const notFound = (hostname: string) =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });

/**
 * The `lookup` a webhook's socket connects with. The socket dials only the addresses handed over
 * here, so checking them here (and nowhere earlier) leaves no second resolution for a rebinding
 * name to answer differently. A name with any non-public answer is refused outright, since the
 * socket may try the answers in any order.
 */
export function checkedLookup(resolve: Resolve, publicTargetsOnly: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    resolve(hostname).then(
      (answers) => {
        if (publicTargetsOnly && answers.some(({ address }) => !classifyAddress(address).public)) {
          return callback(
            privateTargetRefused('the host name resolves to a private, loopback or reserved address'),
            '',
          );
        }
        const usable = answers.filter((answer) => family === 0 || answer.family === family);
        const [first] = usable;
        if (!first) return callback(notFound(hostname), '');
        if (options.all) return callback(null, usable);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
