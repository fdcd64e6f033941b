import { ApiError } from '../../common/errors/api-error';
import type { RefusedVerdict } from './address-policy';

const PRIVATE_HINT =
  ' Loopback and private addresses are refused because SWITCHYARD_UPSTREAM_BLOCK_PRIVATE is true;' +
  ' allow the range with SWITCHYARD_UPSTREAM_ALLOW_CIDRS (comma-separated CIDRs) or set' +
  ' SWITCHYARD_UPSTREAM_BLOCK_PRIVATE=false.';

/** The upstream URL or the address its host resolves to is not one the gateway may connect to. */
export class UpstreamBlockedError extends ApiError {
  readonly reason: string;

  constructor(
    readonly host: string,
    verdict: RefusedVerdict,
  ) {
    super(
      403,
      'permission_error',
      'upstream_address_blocked',
      `Refused to connect to upstream host '${host}': ${verdict.reason}.` +
        (verdict.blockedAsPrivate ? PRIVATE_HINT : ''),
    );
    this.name = 'UpstreamBlockedError';
    this.reason = verdict.reason;
  }
}
