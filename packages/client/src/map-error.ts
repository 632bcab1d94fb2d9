import { errors as jose } from 'jose';
import * as oauth from 'oauth4webapi';
import { GatehouseError, OAuthResponseError, ProtocolError, type ProtocolErrorCode } from './errors.js';

/** Runs `operation`, turning oauth4webapi and jose failures into this SDK's typed errors. */
export async function guard<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw await toSdkError(error);
  }
}

export async function toSdkError(error: unknown): Promise<unknown> {
  if (error instanceof GatehouseError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    return new OAuthResponseError(error.error, error.error_description, error.status, { cause: error });
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return new OAuthResponseError(error.error, error.error_description, undefined, { cause: error });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) return challengeError(error);
  if (error instanceof oauth.OperationProcessingError) return operationError(error);
  if (error instanceof oauth.UnsupportedOperationError) {
    return new ProtocolError('unsupported', error.message, { cause: error });
  }
  if (error instanceof jose.JOSEError) return joseError(error);
  return error;
}

async function challengeError(error: oauth.WWWAuthenticateChallengeError): Promise<OAuthResponseError> {
  // The JSON body (RFC 6749 §5.2) is more precise than the challenge when both are present.
  const body = (await error.response.json().catch(() => undefined)) as { error?: unknown; error_description?: unknown } | undefined;
  const challenge = error.cause[0]?.parameters;
  const code = typeof body?.error === 'string' ? body.error : (challenge?.error ?? 'unauthorized');
  const description = typeof body?.error_description === 'string' ? body.error_description : challenge?.error_description;
  return new OAuthResponseError(code, description, error.status, { cause: error });
}

const OPERATION_CODES: Record<string, ProtocolErrorCode> = {
  [oauth.JWT_CLAIM_COMPARISON]: 'claim_mismatch',
  [oauth.JWT_TIMESTAMP_CHECK]: 'timestamp_check_failed',
  [oauth.RESPONSE_IS_NOT_CONFORM]: 'unexpected_status',
  [oauth.KEY_SELECTION]: 'unknown_key',
};

function operationError(error: oauth.OperationProcessingError): ProtocolError {
  const cause = error.cause as { claim?: unknown; attribute?: unknown } | Response | undefined;
  const status = cause instanceof Response ? cause.status : undefined;
  let code = (error.code && OPERATION_CODES[error.code]) || 'invalid_response';
  const claim = cause && !(cause instanceof Response) && typeof cause.claim === 'string' ? cause.claim : undefined;
  if (code === 'claim_mismatch' && claim === 'iss') code = 'issuer_mismatch';
  if (!(cause instanceof Response) && cause?.attribute === 'issuer') code = 'issuer_mismatch';
  return new ProtocolError(code, error.message, { cause: error, claim, status });
}

function joseError(error: jose.JOSEError): ProtocolError {
  if (error instanceof jose.JWSSignatureVerificationFailed) {
    return new ProtocolError('invalid_signature', 'The token signature is invalid', { cause: error });
  }
  if (error instanceof jose.JWKSNoMatchingKey || error instanceof jose.JWKSMultipleMatchingKeys) {
    return new ProtocolError('unknown_key', 'No single key in the JWKS matches the token', { cause: error });
  }
  if (error instanceof jose.JOSEAlgNotAllowed) {
    return new ProtocolError('alg_not_allowed', 'The token is signed with an algorithm that is not allowed', { cause: error });
  }
  if (error instanceof jose.JWTExpired) {
    return new ProtocolError('timestamp_check_failed', 'The token has expired', { cause: error, claim: error.claim });
  }
  if (error instanceof jose.JWTClaimValidationFailed) {
    const timestamp = error.reason === 'check_failed' && ['iat', 'nbf'].includes(error.claim);
    const code = timestamp ? 'timestamp_check_failed' : error.claim === 'iss' ? 'issuer_mismatch' : 'claim_mismatch';
    return new ProtocolError(code, `The token "${error.claim}" claim is invalid`, { cause: error, claim: error.claim });
  }
  return new ProtocolError('invalid_jwt', 'The token is malformed or unsupported', { cause: error });
}
