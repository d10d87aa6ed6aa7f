// fingerprint (safety numbers) and the XEdDSA commands used by the differential test.

import { Fingerprint, PrivateKey, PublicKey, ScannableFingerprint } from '@signalapp/libsignal-client';
import { requireParty } from './party.mjs';
import {
  decodeBase64,
  encodeBase64,
  isUuid,
  RequestError,
  requireArray,
  requireBytes,
  uuidBytes,
} from './request.mjs';

const FINGERPRINT_ITERATIONS = 5200;
const FINGERPRINT_VERSION = 2;
const MAX_VERIFY_BATCH = 100_000;

/** The stable identifier hashed into a fingerprint: 16 UUID bytes for a UUID name, else UTF-8. */
function stableIdentifier(name) {
  return isUuid(name) ? uuidBytes(name) : new Uint8Array(Buffer.from(name, 'utf8'));
}

export async function fingerprint(context, request) {
  const party = requireParty(context.party);
  const address = party.peerAddress(request);
  const peerKey = await party.stores.identity.getIdentity(address);
  if (peerKey === null) {
    throw new RequestError(`no identity key known for ${address.name()}.${address.deviceId()}`);
  }
  const result = Fingerprint.new(
    FINGERPRINT_ITERATIONS,
    FINGERPRINT_VERSION,
    stableIdentifier(party.name),
    party.identityKeyPair.publicKey,
    stableIdentifier(address.name()),
    peerKey,
  );
  const scannable = result.scannableFingerprint();
  const answer = {
    displayable: result.displayableFingerprint().toString(),
    scannable_b64: encodeBase64(scannable.toBuffer()),
  };
  // Optional extension: let libsignal judge the other side's scannable encoding.
  if (request.theirScannable_b64 !== undefined && request.theirScannable_b64 !== null) {
    const theirs = decodeBase64(request.theirScannable_b64, 'theirScannable_b64');
    try {
      answer.scannableMatches = scannable.compare(ScannableFingerprint._fromBuffer(theirs));
    } catch (error) {
      answer.scannableMatches = false;
      answer.scannableError = error.message;
    }
  }
  return answer;
}

/** Signs with the identity key, or with `privateKey_b64` (32 bytes) when given. */
export function xeddsaSign(context, request) {
  const message = requireBytes(request, 'message_b64');
  let key;
  if (request.privateKey_b64 !== undefined && request.privateKey_b64 !== null) {
    const bytes = decodeBase64(request.privateKey_b64, 'privateKey_b64');
    if (bytes.length !== 32) {
      throw new RequestError('privateKey_b64 must be 32 bytes');
    }
    key = PrivateKey.deserialize(bytes);
  } else {
    key = requireParty(context.party).identityKeyPair.privateKey;
  }
  return {
    signature_b64: encodeBase64(key.sign(message)),
    publicKey_b64: encodeBase64(key.getPublicKey().serialize()),
  };
}

/** libsignal's PublicKey.verify over many items; a key libsignal cannot parse verifies nothing. */
export function xeddsaVerifyBatch(_context, request) {
  const items = requireArray(request, 'items');
  if (items.length > MAX_VERIFY_BATCH) {
    throw new RequestError(`items holds more than ${MAX_VERIFY_BATCH} entries`);
  }
  const decoded = items.map((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new RequestError(`items[${index}] must be an object`);
    }
    return {
      publicKey: decodeBase64(item.publicKey_b64, `items[${index}].publicKey_b64`),
      message: decodeBase64(item.message_b64, `items[${index}].message_b64`),
      signature: decodeBase64(item.signature_b64, `items[${index}].signature_b64`),
    };
  });
  const results = decoded.map(({ publicKey, message, signature }) => {
    let key;
    try {
      key = PublicKey.deserialize(publicKey);
    } catch {
      return false;
    }
    return key.verify(message, signature);
  });
  return { results };
}
