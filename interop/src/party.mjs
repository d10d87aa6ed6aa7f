// The driver's whole state: who we are, our keys and stores, and which device each peer name uses.

import { ProtocolAddress } from '@signalapp/libsignal-client';
import { integerField, RequestError, requireString } from './request.mjs';
import {
  MemoryIdentityStore,
  MemoryKyberPreKeyStore,
  MemoryPreKeyStore,
  MemorySenderKeyStore,
  MemorySessionStore,
  MemorySignedPreKeyStore,
} from './stores.mjs';

export const MAX_DEVICE_ID = 127;

export class Party {
  constructor(name, deviceId, identityKeyPair, registrationId) {
    this.name = name;
    this.deviceId = deviceId;
    this.identityKeyPair = identityKeyPair;
    this.registrationId = registrationId;
    this.address = ProtocolAddress.new(name, deviceId);
    this.stores = {
      sessions: new MemorySessionStore(),
      identity: new MemoryIdentityStore(identityKeyPair, registrationId),
      preKeys: new MemoryPreKeyStore(),
      signedPreKeys: new MemorySignedPreKeyStore(),
      kyberPreKeys: new MemoryKyberPreKeyStore(),
      senderKeys: new MemorySenderKeyStore(),
    };
    this.nextIds = { preKey: 1, signedPreKey: 1, kyberPreKey: 1 };
    this.lastDeviceByName = new Map();
  }

  takeId(kind) {
    return this.nextIds[kind]++;
  }

  /**
   * The peer's address: device id from `peerDeviceId`, else the bundle's `deviceId`, else the last one
   * used for that name, else 1. An explicit choice is remembered for later requests.
   */
  peerAddress(request, bundleDeviceId = undefined) {
    const name = requireString(request, 'peer');
    const explicit = integerField(request, 'peerDeviceId', 1, MAX_DEVICE_ID, null);
    const chosen = explicit ?? bundleDeviceId ?? null;
    if (chosen !== null) {
      this.lastDeviceByName.set(name, chosen);
    }
    const deviceId = chosen ?? this.lastDeviceByName.get(name) ?? 1;
    return ProtocolAddress.new(name, deviceId);
  }
}

/** Commands other than `init` need a party; this is the one error for "init first". */
export function requireParty(party) {
  if (party === null) {
    throw new RequestError('not initialised: send init first');
  }
  return party;
}
