import { InvalidRequestError } from '../../common/errors/api-error';

/**
 * A request that cannot be expressed in the target format (n > 1, an audio part, a server tool…).
 * It is an ordinary 400 `invalid_request_error` for the global filter; `param` names the field in
 * the client's request, e.g. `messages[2].content[0].type`.
 */
export class TranslationError extends InvalidRequestError {
  constructor(message: string, param: string | null, code = 'unsupported_parameter') {
    super(message, param, code);
    this.name = 'TranslationError';
  }
}
