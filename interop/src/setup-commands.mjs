// init, bundle and export_keys: creating the identity and handing out fresh prekeys.

import { randomInt } from 'node:crypto';
import {
  IdentityKeyPair,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyRecord,
  PrivateKey,
  SignedPreKeyRecord,
} from '@signalapp/libsignal-client';
import { MAX_DEVICE_ID, Party, requireParty } from './party.mjs';
import { encodeBase64, integerField, optionalBoolean, RequestError, requireString } from './request.mjs';

const MAX_REGISTRATION_ID = 0xffffffff;

export function init(context, request) {
  if (context.party !== null) {
    throw new RequestError('already initialised');
  }
  const name = requireString(request, 'name');
  const deviceId = integerField(request, 'deviceId', 1, MAX_DEVICE_ID, 1);
  const registrationId = integerField(request, 'registrationId', 0, MAX_REGISTRATION_ID, randomInt(1, 16381));
  const party = new Party(name, deviceId, IdentityKeyPair.generate(), registrationId);
  context.party = party;
  return {
    registrationId,
    identityKey_b64: encodeBase64(party.identityKeyPair.publicKey.serialize()),
    deviceId,
  };
}

export async function bundle(context, request) {
  const party = requireParty(context.party);
  const noOneTimePreKey = optionalBoolean(request, 'noOneTimePreKey', false);
  const identityPrivate = party.identityKeyPair.privateKey;
  const now = Date.now();

  let preKeyId = null;
  let preKeyPublic = null;
  if (!noOneTimePreKey) {
    preKeyId = party.takeId('preKey');
    const key = PrivateKey.generate();
    preKeyPublic = key.getPublicKey();
    await party.stores.preKeys.savePreKey(preKeyId, PreKeyRecord.new(preKeyId, preKeyPublic, key));
  }

  const signedPreKeyId = party.takeId('signedPreKey');
  const signedKey = PrivateKey.generate();
  const signedPublic = signedKey.getPublicKey();
  const signedSignature = identityPrivate.sign(signedPublic.serialize());
  await party.stores.signedPreKeys.saveSignedPreKey(
    signedPreKeyId,
    SignedPreKeyRecord.new(signedPreKeyId, now, signedPublic, signedKey, signedSignature),
  );

  const kyberPreKeyId = party.takeId('kyberPreKey');
  const kyberPair = KEMKeyPair.generate();
  const kyberSignature = identityPrivate.sign(kyberPair.getPublicKey().serialize());
  await party.stores.kyberPreKeys.saveKyberPreKey(
    kyberPreKeyId,
    KyberPreKeyRecord.new(kyberPreKeyId, now, kyberPair, kyberSignature),
  );

  return {
    bundle: {
      registrationId: party.registrationId,
      deviceId: party.deviceId,
      identityKey_b64: encodeBase64(party.identityKeyPair.publicKey.serialize()),
      preKeyId,
      preKey_b64: preKeyPublic === null ? null : encodeBase64(preKeyPublic.serialize()),
      signedPreKeyId,
      signedPreKey_b64: encodeBase64(signedPublic.serialize()),
      signedPreKeySignature_b64: encodeBase64(signedSignature),
      kyberPreKeyId,
      kyberPreKey_b64: encodeBase64(kyberPair.getPublicKey().serialize()),
      kyberPreKeySignature_b64: encodeBase64(kyberSignature),
    },
  };
}

/** Every private key the driver holds, in the shape of the offline transcripts' `bobKeys`. */
export async function exportKeys(context) {
  const party = requireParty(context.party);
  const { preKeys, signedPreKeys, kyberPreKeys } = party.stores;
  const sortedIds = (map) => [...map.keys()].sort((a, b) => a - b);
  return {
    name: party.name,
    deviceId: party.deviceId,
    registrationId: party.registrationId,
    identityPrivate_b64: encodeBase64(party.identityKeyPair.privateKey.serialize()),
    identityKey_b64: encodeBase64(party.identityKeyPair.publicKey.serialize()),
    identityKeyPair_b64: encodeBase64(party.identityKeyPair.serialize()),
    preKeys: await Promise.all(
      sortedIds(preKeys.records).map(async (id) => {
        const record = await preKeys.getPreKey(id);
        return {
          id,
          private_b64: encodeBase64(record.privateKey().serialize()),
          public_b64: encodeBase64(record.publicKey().serialize()),
          record_b64: encodeBase64(record.serialize()),
        };
      }),
    ),
    signedPreKeys: await Promise.all(
      sortedIds(signedPreKeys.records).map(async (id) => {
        const record = await signedPreKeys.getSignedPreKey(id);
        return {
          id,
          private_b64: encodeBase64(record.privateKey().serialize()),
          public_b64: encodeBase64(record.publicKey().serialize()),
          signature_b64: encodeBase64(record.signature()),
          record_b64: encodeBase64(record.serialize()),
        };
      }),
    ),
    kyberPreKeys: await Promise.all(
      sortedIds(kyberPreKeys.records).map(async (id) => {
        const record = await kyberPreKeys.getKyberPreKey(id);
        return {
          id,
          secret_b64: encodeBase64(record.secretKey().serialize()),
          public_b64: encodeBase64(record.publicKey().serialize()),
          signature_b64: encodeBase64(record.signature()),
          record_b64: encodeBase64(record.serialize()),
        };
      }),
    ),
  };
}
