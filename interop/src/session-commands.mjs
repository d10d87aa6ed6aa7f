// process_bundle, encrypt, decrypt and session_info: the 1:1 Signal sessions.

import {
  groupDecrypt,
  KEMPublicKey,
  PreKeyBundle,
  PreKeySignalMessage,
  processPreKeyBundle,
  PublicKey,
  SessionRecord,
  SignalMessage,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import { MAX_DEVICE_ID, requireParty } from './party.mjs';
import { describeSessionRecord } from './protobuf.mjs';
import {
  encodeBase64,
  integerField,
  optionalBoolean,
  RequestError,
  requireBytes,
  requireObject,
} from './request.mjs';
import { stateDigest } from './stores.mjs';

const MAX_U32 = 0xffffffff;

export const MessageType = Object.freeze({ Whisper: 2, PreKey: 3, SenderKey: 7 });

function publicKeyField(object, field) {
  const bytes = requireBytes(object, field);
  try {
    return PublicKey.deserialize(bytes);
  } catch (error) {
    throw new RequestError(`${field} is not a valid public key: ${error.message}`);
  }
}

function parseBundle(fields) {
  const preKeyPresent = fields.preKeyId !== null && fields.preKeyId !== undefined;
  const preKeyKeyPresent = fields.preKey_b64 !== null && fields.preKey_b64 !== undefined;
  if (preKeyPresent !== preKeyKeyPresent) {
    throw new RequestError('bundle.preKeyId and bundle.preKey_b64 must both be present or both null');
  }
  let kyberKey;
  try {
    kyberKey = KEMPublicKey.deserialize(requireBytes(fields, 'kyberPreKey_b64'));
  } catch (error) {
    if (error instanceof RequestError) {
      throw error;
    }
    throw new RequestError(`kyberPreKey_b64 is not a valid KEM public key: ${error.message}`);
  }
  return PreKeyBundle.new(
    integerField(fields, 'registrationId', 0, MAX_U32),
    integerField(fields, 'deviceId', 1, MAX_DEVICE_ID),
    preKeyPresent ? integerField(fields, 'preKeyId', 0, MAX_U32) : null,
    preKeyPresent ? publicKeyField(fields, 'preKey_b64') : null,
    integerField(fields, 'signedPreKeyId', 0, MAX_U32),
    publicKeyField(fields, 'signedPreKey_b64'),
    requireBytes(fields, 'signedPreKeySignature_b64'),
    publicKeyField(fields, 'identityKey_b64'),
    integerField(fields, 'kyberPreKeyId', 0, MAX_U32),
    kyberKey,
    requireBytes(fields, 'kyberPreKeySignature_b64'),
  );
}

export async function processBundle(context, request) {
  const party = requireParty(context.party);
  const fields = requireObject(request, 'bundle');
  const preKeyBundle = parseBundle(fields);
  const address = party.peerAddress(request, preKeyBundle.deviceId());
  await processPreKeyBundle(preKeyBundle, address, party.stores.sessions, party.stores.identity);
  return { peer: address.name(), peerDeviceId: address.deviceId() };
}

export async function encrypt(context, request) {
  const party = requireParty(context.party);
  const plaintext = requireBytes(request, 'plaintext_b64');
  const address = party.peerAddress(request);
  const message = await signalEncrypt(plaintext, address, party.stores.sessions, party.stores.identity);
  return { type: message.type(), body_b64: encodeBase64(message.serialize()) };
}

export async function decrypt(context, request) {
  const party = requireParty(context.party);
  const type = integerField(request, 'type', 0, 255);
  const body = requireBytes(request, 'body_b64');
  const address = party.peerAddress(request);
  const { sessions, identity, preKeys, signedPreKeys, kyberPreKeys, senderKeys } = party.stores;
  let plaintext;
  switch (type) {
    case MessageType.Whisper:
      plaintext = await signalDecrypt(SignalMessage.deserialize(body), address, sessions, identity);
      break;
    case MessageType.PreKey:
      plaintext = await signalDecryptPreKey(
        PreKeySignalMessage.deserialize(body),
        address,
        sessions,
        identity,
        preKeys,
        signedPreKeys,
        kyberPreKeys,
      );
      break;
    case MessageType.SenderKey:
      plaintext = await groupDecrypt(address, senderKeys, body);
      break;
    default:
      throw new RequestError(`type must be 2, 3 or 7, not ${type}`);
  }
  return { plaintext_b64: encodeBase64(plaintext) };
}

/** What tests assert on: whether a session exists, its version, and digests to prove "no state changed". */
export async function sessionInfo(context, request) {
  const party = requireParty(context.party);
  const address = party.peerAddress(request);
  const withRecord = optionalBoolean(request, 'withRecord', true);
  const serialized = party.stores.sessions.serialized(address);
  const peerIdentity = await party.stores.identity.getIdentity(address);
  const answer = {
    peer: address.name(),
    peerDeviceId: address.deviceId(),
    hasSession: serialized !== null,
    hasCurrentState: false,
    sessionVersion: null,
    archivedStates: 0,
    peerIdentityKey_b64: peerIdentity === null ? null : encodeBase64(peerIdentity.serialize()),
    stateDigest_b64: encodeBase64(stateDigest(party.stores)),
  };
  if (serialized !== null) {
    const record = SessionRecord.deserialize(serialized);
    const shape = describeSessionRecord(serialized);
    answer.hasCurrentState = record.hasCurrentState();
    answer.sessionVersion = shape.currentVersion;
    answer.archivedStates = shape.archivedStates;
    if (shape.currentVersion !== null) {
      answer.localRegistrationId = record.localRegistrationId();
      answer.remoteRegistrationId = record.remoteRegistrationId();
    }
    if (withRecord) {
      answer.record_b64 = encodeBase64(serialized);
    }
  }
  return answer;
}

