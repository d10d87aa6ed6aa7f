// In-memory libsignal stores. Records are kept serialized, so a failed operation can never leave a
// half-updated object behind and every read hands libsignal a fresh copy.

import { createHash } from 'node:crypto';
import {
  Direction,
  IdentityChange,
  IdentityKeyStore,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyRecord,
  PreKeyStore,
  PublicKey,
  SenderKeyRecord,
  SenderKeyStore,
  SessionRecord,
  SessionStore,
  SignedPreKeyRecord,
  SignedPreKeyStore,
} from '@signalapp/libsignal-client';

export function addressKey(address) {
  return `${address.name()}.${address.deviceId()}`;
}

export class MemorySessionStore extends SessionStore {
  records = new Map();

  async saveSession(address, record) {
    this.records.set(addressKey(address), record.serialize());
  }

  async getSession(address) {
    const bytes = this.records.get(addressKey(address));
    return bytes === undefined ? null : SessionRecord.deserialize(bytes);
  }

  async getExistingSessions(addresses) {
    return addresses.map((address) => {
      const bytes = this.records.get(addressKey(address));
      if (bytes === undefined) {
        throw new Error(`no session for ${addressKey(address)}`);
      }
      return SessionRecord.deserialize(bytes);
    });
  }

  serialized(address) {
    return this.records.get(addressKey(address)) ?? null;
  }
}

/** Trust on first use: an unknown identity is accepted and remembered, a changed one is refused. */
export class MemoryIdentityStore extends IdentityKeyStore {
  identities = new Map();

  constructor(identityKeyPair, registrationId) {
    super();
    this.identityKeyPair = identityKeyPair;
    this.registrationId = registrationId;
  }

  async getIdentityKey() {
    return this.identityKeyPair.privateKey;
  }

  async getLocalRegistrationId() {
    return this.registrationId;
  }

  async saveIdentity(address, key) {
    const id = addressKey(address);
    const previous = this.identities.get(id);
    this.identities.set(id, key.serialize());
    if (previous !== undefined && !Buffer.from(previous).equals(Buffer.from(key.serialize()))) {
      return IdentityChange.ReplacedExisting;
    }
    return IdentityChange.NewOrUnchanged;
  }

  async isTrustedIdentity(address, key, _direction = Direction.Sending) {
    const known = this.identities.get(addressKey(address));
    return known === undefined || Buffer.from(known).equals(Buffer.from(key.serialize()));
  }

  async getIdentity(address) {
    const known = this.identities.get(addressKey(address));
    return known === undefined ? null : PublicKey.deserialize(known);
  }
}

export class MemoryPreKeyStore extends PreKeyStore {
  records = new Map();

  async savePreKey(id, record) {
    this.records.set(id, record.serialize());
  }

  async getPreKey(id) {
    const bytes = this.records.get(id);
    if (bytes === undefined) {
      throw new Error(`no prekey ${id}`);
    }
    return PreKeyRecord.deserialize(bytes);
  }

  async removePreKey(id) {
    this.records.delete(id);
  }
}

export class MemorySignedPreKeyStore extends SignedPreKeyStore {
  records = new Map();

  async saveSignedPreKey(id, record) {
    this.records.set(id, record.serialize());
  }

  async getSignedPreKey(id) {
    const bytes = this.records.get(id);
    if (bytes === undefined) {
      throw new Error(`no signed prekey ${id}`);
    }
    return SignedPreKeyRecord.deserialize(bytes);
  }
}

/** Kyber prekeys are last-resort keys: never deleted. Uses are only counted. */
export class MemoryKyberPreKeyStore extends KyberPreKeyStore {
  records = new Map();
  uses = new Map();

  async saveKyberPreKey(id, record) {
    this.records.set(id, record.serialize());
  }

  async getKyberPreKey(id) {
    const bytes = this.records.get(id);
    if (bytes === undefined) {
      throw new Error(`no Kyber prekey ${id}`);
    }
    return KyberPreKeyRecord.deserialize(bytes);
  }

  async markKyberPreKeyUsed(id, _signedPreKeyId, _baseKey) {
    this.uses.set(id, (this.uses.get(id) ?? 0) + 1);
  }
}

export class MemorySenderKeyStore extends SenderKeyStore {
  records = new Map();

  async saveSenderKey(sender, distributionId, record) {
    this.records.set(`${addressKey(sender)}/${distributionId}`, record.serialize());
  }

  async getSenderKey(sender, distributionId) {
    const bytes = this.records.get(`${addressKey(sender)}/${distributionId}`);
    return bytes === undefined ? null : SenderKeyRecord.deserialize(bytes);
  }
}

/** SHA-256 over every store's content in a fixed order: equal digests mean no state changed. */
export function stateDigest(stores) {
  const hash = createHash('sha256');
  const addMap = (label, map) => {
    const entries = [...map.entries()]
      .map(([key, value]) => [String(key), typeof value === 'number' ? Buffer.from(String(value)) : Buffer.from(value)])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    hash.update(`${label}:${entries.length};`);
    for (const [key, value] of entries) {
      hash.update(`${key}=${value.length}:`);
      hash.update(value);
    }
  };
  addMap('sessions', stores.sessions.records);
  addMap('identities', stores.identity.identities);
  addMap('prekeys', stores.preKeys.records);
  addMap('signed', stores.signedPreKeys.records);
  addMap('kyber', stores.kyberPreKeys.records);
  addMap('kyberUses', stores.kyberPreKeys.uses);
  addMap('senderKeys', stores.senderKeys.records);
  return new Uint8Array(hash.digest());
}
