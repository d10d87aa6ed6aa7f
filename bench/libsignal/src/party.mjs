// The measured libsignal participant: an identity, interop/'s in-memory stores, and setup shortcuts.
// Mirrors bench/Parley.Benchmarks/Support/BenchParty.cs.

import { randomInt } from 'node:crypto';
import { session, signal, stores } from './libsignal.mjs';

const {
  IdentityKeyPair,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyBundle,
  PreKeyRecord,
  PreKeySignalMessage,
  PrivateKey,
  ProtocolAddress,
  SessionRecord,
  SignalMessage,
  SignedPreKeyRecord,
} = signal;

export const MessageType = Object.freeze({ Whisper: 2, PreKey: 3 });

const KEY_TIMESTAMP = Date.UTC(2024, 9, 5);

/** Message bodies of the benchmarked sizes, the same bytes as Parley's Payload.Of. */
export function payload(size) {
  const bytes = new Uint8Array(new ArrayBuffer(size));
  for (let i = 0; i < size; i++) {
    bytes[i] = 0x61 + (i % 26);
  }
  return bytes;
}

export const SMALL = 100;
export const MEDIUM = 1024;
export const LARGE = 16 * 1024;

export function addresses(prefix, count) {
  return Array.from({ length: count }, (_, i) => ProtocolAddress.new(`${prefix}-${i}`, 1));
}

export const b64 = (bytes) => Buffer.from(bytes).toString('base64');
export const fromB64 = (text) => {
  const buffer = Buffer.from(text, 'base64');
  const bytes = new Uint8Array(new ArrayBuffer(buffer.length));
  bytes.set(buffer);
  return bytes;
};

export class BenchParty {
  constructor(name) {
    this.address = ProtocolAddress.new(name, 1);
    this.identity = IdentityKeyPair.generate();
    this.registrationId = randomInt(1, 16381);
    this.stores = this.newStores();
  }

  /** Empty stores for the same identity. */
  newStores() {
    return {
      sessions: new stores.MemorySessionStore(),
      identity: new stores.MemoryIdentityStore(this.identity, this.registrationId),
      preKeys: new stores.MemoryPreKeyStore(),
      signedPreKeys: new stores.MemorySignedPreKeyStore(),
      kyberPreKeys: new stores.MemoryKyberPreKeyStore(),
      senderKeys: new stores.MemorySenderKeyStore(),
    };
  }

  /** One-time EC, signed EC and Kyber pre-keys with the same id (not stored). */
  createPreKeys(id) {
    const oneTime = PrivateKey.generate();
    const signed = PrivateKey.generate();
    const signedPublic = signed.getPublicKey();
    const kyber = KEMKeyPair.generate();
    const identityKey = this.identity.privateKey;
    return {
      id,
      oneTime: PreKeyRecord.new(id, oneTime.getPublicKey(), oneTime),
      signed: SignedPreKeyRecord.new(id, KEY_TIMESTAMP, signedPublic, signed, identityKey.sign(signedPublic.serialize())),
      kyber: KyberPreKeyRecord.new(id, KEY_TIMESTAMP, kyber, identityKey.sign(kyber.getPublicKey().serialize())),
    };
  }

  async publish(keys, into = this.stores) {
    await into.preKeys.savePreKey(keys.id, keys.oneTime);
    await into.signedPreKeys.saveSignedPreKey(keys.id, keys.signed);
    await into.kyberPreKeys.saveKyberPreKey(keys.id, keys.kyber);
  }

  bundle(keys) {
    return PreKeyBundle.new(
      this.registrationId,
      1,
      keys.id,
      keys.oneTime.publicKey(),
      keys.id,
      keys.signed.publicKey(),
      keys.signed.signature(),
      this.identity.publicKey,
      keys.id,
      keys.kyber.publicKey(),
      keys.kyber.signature(),
    );
  }

  /** The same bundle in the driver protocol's JSON form (DESIGN.md §5). */
  bundleJson(keys) {
    return {
      registrationId: this.registrationId,
      deviceId: 1,
      identityKey_b64: b64(this.identity.publicKey.serialize()),
      preKeyId: keys.id,
      preKey_b64: b64(keys.oneTime.publicKey().serialize()),
      signedPreKeyId: keys.id,
      signedPreKey_b64: b64(keys.signed.publicKey().serialize()),
      signedPreKeySignature_b64: b64(keys.signed.signature()),
      kyberPreKeyId: keys.id,
      kyberPreKey_b64: b64(keys.kyber.publicKey().serialize()),
      kyberPreKeySignature_b64: b64(keys.kyber.signature()),
    };
  }

  async encrypt(remote, plaintext) {
    const message = await session.encrypt(plaintext, remote, this.address, this.stores.sessions, this.stores.identity);
    return { type: message.type(), body: message.serialize() };
  }

  async decrypt(remote, { type, body }) {
    const s = this.stores;
    if (type === MessageType.PreKey) {
      return session.decryptPreKey(PreKeySignalMessage.deserialize(body), remote, this.address, s);
    }
    if (type === MessageType.Whisper) {
      return session.decrypt(SignalMessage.deserialize(body), remote, this.address, s.sessions, s.identity);
    }
    throw new Error(`not a 1:1 message type: ${type}`);
  }

  sessionBytes(remote) {
    const bytes = this.stores.sessions.serialized(remote);
    if (bytes === null) {
      throw new Error(`no session with ${remote.name()}`);
    }
    return bytes;
  }
}

/** Stores the same session record under each address (identical states, one per timed operation). */
export async function storeSessionCopies(sessionStore, record, remotes) {
  for (const remote of remotes) {
    await sessionStore.saveSession(remote, SessionRecord.deserialize(record));
  }
}
