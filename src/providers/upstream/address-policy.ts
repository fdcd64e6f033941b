import ipaddr from 'ipaddr.js';

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export type AddressVerdict =
  | { allowed: true }
  /** `blockedAsPrivate`: refused only because private ranges are blocked, so configuration can allow it. */
  | { allowed: false; reason: string; blockedAsPrivate: boolean };

export type RefusedVerdict = Extract<AddressVerdict, { allowed: false }>;

export interface AddressPolicyOptions {
  readonly blockPrivate: boolean;
  readonly allowCidrs: readonly string[];
}

const ALLOWED: AddressVerdict = Object.freeze({ allowed: true });

// GCE's metadata server names; they resolve to 169.254.169.254 too, but a name check fails earlier and clearer.
const METADATA_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog']);

// Metadata services outside link-local space: AWS over IPv6 (inside fc00::/7) and Alibaba Cloud (inside 100.64/10).
const METADATA_ADDRESSES: readonly IpAddress[] = [
  ipaddr.parse('fd00:ec2::254'),
  ipaddr.parse('100.100.100.200'),
];

// ipaddr.js range names → what the reason says. Anything not listed (unicast, reserved, …) is allowed.
const ALWAYS_REFUSED: Readonly<Record<string, string>> = {
  linkLocal: 'link-local/cloud-metadata',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};
const PRIVATE: Readonly<Record<string, string>> = {
  loopback: 'loopback',
  private: 'private',
  carrierGradeNat: 'private (carrier-grade NAT)',
  uniqueLocal: 'private (unique local)',
};

// IPv6 forms whose last 32 bits are an IPv4 address that the packet ends up at: IPv4-mapped (::ffff:0:0/96),
// IPv4-translated (::ffff:0:0:0/96, "rfc6145") and NAT64 (64:ff9b::/96 and 64:ff9b:1::/48, "rfc6052").
const EMBEDS_IPV4 = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052']);
// Deprecated IPv4-compatible addresses (::a.b.c.d); `::` and `::1` themselves keep their IPv6 meaning.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * Which upstream addresses the gateway may connect to. Link-local, metadata, unspecified, multicast and broadcast
 * are always refused; loopback and private ranges only when `blockPrivate` is set, unless `allowCidrs` covers them.
 */
export class AddressPolicy {
  private readonly allowRanges: ReadonlyArray<[IpAddress, number]>;

  constructor(private readonly options: AddressPolicyOptions) {
    this.allowRanges = options.allowCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** `hostname` as in `URL.hostname` (bracketed IPv6, trailing dot) or a raw string (any IPv4 encoding). */
  checkHost(hostname: string): AddressVerdict {
    const name = hostname.toLowerCase().replace(/\.+$/, '');
    if (METADATA_HOSTNAMES.has(name)) {
      return refused(`${hostname} is a cloud metadata hostname`);
    }
    if (name.startsWith('[') && name.endsWith(']')) return this.checkAddress(name.slice(1, -1));
    // isValid also accepts the forms inet_aton does (2852039166, 0xa9fea9fe, 0251.0376.0251.0376, 169.254.43518).
    return ipaddr.isValid(name) ? this.checkAddress(name) : ALLOWED;
  }

  /** A literal address, as DNS returns it or in any encoding `checkHost` accepts. Unparseable input is refused. */
  checkAddress(ip: string): AddressVerdict {
    if (!ipaddr.isValid(ip)) return refused(`'${ip}' is not an IP address`);
    const original = ipaddr.parse(ip);
    const address = unwrapIPv4(original);
    const shown =
      address === original ? address.toString() : `${original.toString()} (${address.toString()})`;

    if (METADATA_ADDRESSES.some((metadata) => sameAddress(metadata, address))) {
      return refused(`${shown} is a cloud metadata address`);
    }
    const range = address.range();
    const alwaysRefused = ALWAYS_REFUSED[range];
    if (alwaysRefused !== undefined)
      return refused(`${shown} is ${article(alwaysRefused)} address`);

    const privateRange = PRIVATE[range];
    if (privateRange === undefined || !this.options.blockPrivate) return ALLOWED;
    if (this.isAllowlisted(original) || this.isAllowlisted(address)) return ALLOWED;
    return refused(`${shown} is ${article(privateRange)} address`, true);
  }

  private isAllowlisted(address: IpAddress): boolean {
    return this.allowRanges.some(
      ([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
    );
  }
}

function unwrapIPv4(address: IpAddress): IpAddress {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  const compatible = range !== 'unspecified' && range !== 'loopback' && v6.match(IPV4_COMPATIBLE);
  if (!compatible && !EMBEDS_IPV4.has(range)) return address;
  const [high = 0, low = 0] = v6.parts.slice(6);
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.kind() === b.kind() && a.toNormalizedString() === b.toNormalizedString();
}

function article(label: string): string {
  return /^[aeiou]/.test(label) ? `an ${label}` : `a ${label}`;
}

function refused(reason: string, blockedAsPrivate = false): RefusedVerdict {
  return { allowed: false, reason, blockedAsPrivate };
}
