import { AddressPolicy, type AddressVerdict } from './address-policy';

const policies = {
  default: new AddressPolicy({ blockPrivate: false, allowCidrs: [] }),
  blockPrivate: new AddressPolicy({ blockPrivate: true, allowCidrs: [] }),
  // Two legitimate private ranges, plus always-refused ones that the allowlist must not re-open.
  allowlisted: new AddressPolicy({
    blockPrivate: true,
    allowCidrs: [
      '127.0.0.0/8',
      '10.0.0.0/16',
      'fd12::/16',
      '169.254.0.0/16',
      'fe80::/10',
      'fd00:ec2::/32',
      '100.100.0.0/16',
      '224.0.0.0/4',
      '0.0.0.0/8',
      '255.255.255.255/32',
    ],
  }),
};

/** allow; refuse (always, whatever the config says); private (refused because private ranges are blocked). */
type Outcome = 'allow' | 'refuse' | 'private';
type Row = [
  input: string,
  byDefault: Outcome,
  blockPrivate: Outcome,
  allowlisted: Outcome,
  reason?: string,
];

function outcome(verdict: AddressVerdict): Outcome {
  if (verdict.allowed) return 'allow';
  return verdict.blockedAsPrivate ? 'private' : 'refuse';
}

function expectOutcomes(check: (policy: AddressPolicy) => AddressVerdict, row: Row): void {
  const [, byDefault, blockPrivate, allowlisted, reason] = row;
  const verdicts = {
    default: check(policies.default),
    blockPrivate: check(policies.blockPrivate),
    allowlisted: check(policies.allowlisted),
  };
  expect({
    default: outcome(verdicts.default),
    blockPrivate: outcome(verdicts.blockPrivate),
    allowlisted: outcome(verdicts.allowlisted),
  }).toEqual({ default: byDefault, blockPrivate, allowlisted });
  if (reason !== undefined) {
    const refused = Object.values(verdicts).find((verdict) => !verdict.allowed);
    expect(refused).toMatchObject({ reason: expect.stringContaining(reason) as unknown });
  }
}

const ADDRESSES: Row[] = [
  // Link-local and cloud metadata: refused whatever the configuration.
  ['169.254.169.254', 'refuse', 'refuse', 'refuse', 'link-local/cloud-metadata'],
  ['169.254.0.1', 'refuse', 'refuse', 'refuse', 'link-local'],
  ['fe80::1', 'refuse', 'refuse', 'refuse', 'link-local'],
  ['fe80::1%eth0', 'refuse', 'refuse', 'refuse', 'link-local'],
  ['fd00:ec2::254', 'refuse', 'refuse', 'refuse', 'cloud metadata'],
  ['100.100.100.200', 'refuse', 'refuse', 'refuse', 'cloud metadata'],
  // Unspecified, multicast, broadcast.
  ['0.0.0.0', 'refuse', 'refuse', 'refuse', 'unspecified'],
  ['0.1.2.3', 'refuse', 'refuse', 'refuse', 'unspecified'],
  ['::', 'refuse', 'refuse', 'refuse', 'unspecified'],
  ['224.0.0.1', 'refuse', 'refuse', 'refuse', 'multicast'],
  ['239.255.255.250', 'refuse', 'refuse', 'refuse', 'multicast'],
  ['ff02::1', 'refuse', 'refuse', 'refuse', 'multicast'],
  ['255.255.255.255', 'refuse', 'refuse', 'refuse', 'broadcast'],
  // IPv6 forms that carry a refused IPv4 address.
  ['::ffff:169.254.169.254', 'refuse', 'refuse', 'refuse', '(169.254.169.254) is a link-local'],
  ['::ffff:a9fe:a9fe', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['::a9fe:a9fe', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['64:ff9b::a9fe:a9fe', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['64:ff9b:1::a9fe:a9fe', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['::ffff:0:a9fe:a9fe', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['::ffff:0.0.0.0', 'refuse', 'refuse', 'refuse', 'unspecified'],
  ['::ffff:255.255.255.255', 'refuse', 'refuse', 'refuse', 'broadcast'],
  ['::ffff:100.100.100.200', 'refuse', 'refuse', 'refuse', 'cloud metadata'],
  // Other encodings of 169.254.169.254.
  ['2852039166', 'refuse', 'refuse', 'refuse', '169.254.169.254 is a link-local'],
  ['0251.0376.0251.0376', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['0xa9fea9fe', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['0xA9.0xFE.0xA9.0xFE', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['169.254.43518', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['169.16689662', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  // Loopback and private: allowed by default, refused with blockPrivate unless allowlisted.
  ['127.0.0.1', 'allow', 'private', 'allow', 'loopback'],
  ['127.255.255.254', 'allow', 'private', 'allow', 'loopback'],
  ['2130706433', 'allow', 'private', 'allow', '127.0.0.1 is a loopback'],
  ['0x7f.1', 'allow', 'private', 'allow', '127.0.0.1'],
  ['0177.0.0.1', 'allow', 'private', 'allow', '127.0.0.1'],
  ['127.1', 'allow', 'private', 'allow', '127.0.0.1'],
  ['::ffff:127.0.0.1', 'allow', 'private', 'allow', 'loopback'],
  ['::1', 'allow', 'private', 'private', '::1 is a loopback'],
  ['10.0.5.5', 'allow', 'private', 'allow', 'private'],
  ['10.1.0.1', 'allow', 'private', 'private', '10.1.0.1 is a private address'],
  ['::ffff:10.1.0.1', 'allow', 'private', 'private', '10.1.0.1'],
  ['64:ff9b::a01:1', 'allow', 'private', 'private', '10.1.0.1'],
  ['172.16.0.1', 'allow', 'private', 'private', 'private'],
  ['172.31.255.255', 'allow', 'private', 'private', 'private'],
  ['192.168.1.1', 'allow', 'private', 'private', 'private'],
  ['100.64.0.1', 'allow', 'private', 'private', 'carrier-grade NAT'],
  ['100.127.255.254', 'allow', 'private', 'private', 'carrier-grade NAT'],
  ['fc00::1', 'allow', 'private', 'private', 'unique local'],
  ['fd12::1', 'allow', 'private', 'allow', 'unique local'],
  // Public: always allowed, including neighbours of the refused ranges.
  ['8.8.8.8', 'allow', 'allow', 'allow'],
  ['1.1.1.1', 'allow', 'allow', 'allow'],
  ['172.32.0.1', 'allow', 'allow', 'allow'],
  ['100.128.0.1', 'allow', 'allow', 'allow'],
  ['169.253.255.255', 'allow', 'allow', 'allow'],
  ['169.255.0.1', 'allow', 'allow', 'allow'],
  ['223.255.255.255', 'allow', 'allow', 'allow'],
  ['2606:4700:4700::1111', 'allow', 'allow', 'allow'],
  ['::ffff:8.8.8.8', 'allow', 'allow', 'allow'],
  ['64:ff9b::808:808', 'allow', 'allow', 'allow'],
  // Not an address at all: fail closed.
  ['example.com', 'refuse', 'refuse', 'refuse', 'not an IP address'],
  ['', 'refuse', 'refuse', 'refuse', 'not an IP address'],
  ['1.2.3.4.5', 'refuse', 'refuse', 'refuse', 'not an IP address'],
  ['[::1]', 'refuse', 'refuse', 'refuse', 'not an IP address'],
];

const HOSTS: Row[] = [
  // Metadata names, in any case, with a trailing dot.
  ['metadata.google.internal', 'refuse', 'refuse', 'refuse', 'cloud metadata hostname'],
  ['METADATA.Google.Internal', 'refuse', 'refuse', 'refuse', 'cloud metadata hostname'],
  ['metadata.google.internal.', 'refuse', 'refuse', 'refuse', 'cloud metadata hostname'],
  ['metadata.goog', 'refuse', 'refuse', 'refuse', 'cloud metadata hostname'],
  ['Metadata.GOOG.', 'refuse', 'refuse', 'refuse', 'cloud metadata hostname'],
  // Bracketed IPv6 literals, as in URL.hostname.
  ['[::ffff:a9fe:a9fe]', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['[::a9fe:a9fe]', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['[64:ff9b::a9fe:a9fe]', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['[fe80::1]', 'refuse', 'refuse', 'refuse', 'link-local'],
  ['[FD00:EC2::254]', 'refuse', 'refuse', 'refuse', 'cloud metadata'],
  ['[::]', 'refuse', 'refuse', 'refuse', 'unspecified'],
  ['[ff02::1]', 'refuse', 'refuse', 'refuse', 'multicast'],
  ['[::1]', 'allow', 'private', 'private', 'loopback'],
  ['[fd12::1]', 'allow', 'private', 'allow', 'unique local'],
  ['[2606:4700:4700::1111]', 'allow', 'allow', 'allow'],
  ['[not-an-address]', 'refuse', 'refuse', 'refuse', 'not an IP address'],
  // Raw IPv4 strings in other encodings, and with a trailing dot.
  ['169.254.169.254', 'refuse', 'refuse', 'refuse', 'link-local'],
  ['169.254.169.254.', 'refuse', 'refuse', 'refuse', 'link-local'],
  ['2852039166', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['0251.0376.0251.0376', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['0xa9fea9fe', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['169.254.43518', 'refuse', 'refuse', 'refuse', '169.254.169.254'],
  ['0.0.0.0', 'refuse', 'refuse', 'refuse', 'unspecified'],
  ['255.255.255.255', 'refuse', 'refuse', 'refuse', 'broadcast'],
  ['127.0.0.1', 'allow', 'private', 'allow', 'loopback'],
  ['0x7f.1', 'allow', 'private', 'allow', '127.0.0.1'],
  ['192.168.1.1', 'allow', 'private', 'private', 'private'],
  ['8.8.8.8', 'allow', 'allow', 'allow'],
  // Names other than the metadata ones are decided by the guarded lookup, on what they resolve to.
  ['localhost', 'allow', 'allow', 'allow'],
  ['api.openai.com', 'allow', 'allow', 'allow'],
  ['metadata.google.internal.example.com', 'allow', 'allow', 'allow'],
];

describe('AddressPolicy', () => {
  describe('checkAddress', () => {
    it.each(ADDRESSES)('%j: default %s, blockPrivate %s, allowlisted %s', (...row) => {
      expectOutcomes((policy) => policy.checkAddress(row[0]), row);
    });

    it('explains a refusal in words', () => {
      expect(policies.default.checkAddress('169.254.169.254')).toEqual({
        allowed: false,
        reason: '169.254.169.254 is a link-local/cloud-metadata address',
        blockedAsPrivate: false,
      });
      expect(policies.blockPrivate.checkAddress('::ffff:127.0.0.1')).toEqual({
        allowed: false,
        reason: '::ffff:7f00:1 (127.0.0.1) is a loopback address',
        blockedAsPrivate: true,
      });
    });
  });

  describe('checkHost', () => {
    it.each(HOSTS)('%j: default %s, blockPrivate %s, allowlisted %s', (...row) => {
      expectOutcomes((policy) => policy.checkHost(row[0]), row);
    });

    it('agrees with the WHATWG parser on the hostnames it produces', () => {
      const hostnames = [
        'http://2852039166/',
        'http://0251.0376.0251.0376/',
        'http://0xa9fea9fe/',
        'http://169.254.43518/',
        'http://[::ffff:169.254.169.254]/',
        'http://[::a9fe:a9fe]/',
        'http://METADATA.google.internal./',
      ].map((url) => new URL(url).hostname);
      expect(hostnames.map((host) => outcome(policies.default.checkHost(host)))).toEqual(
        hostnames.map(() => 'refuse'),
      );
    });
  });

  it('rejects an allowlist entry that is not a CIDR range', () => {
    expect(() => new AddressPolicy({ blockPrivate: true, allowCidrs: ['10.0.0.1'] })).toThrow();
  });
});
