// A peer in this process, for releases that no driver speaks to here: libsignal 0.103.0 requires SPQR, which Parley
// lacks and interop/driver.mjs (written for 0.90.0's API) does not set up. It answers the few requests of DESIGN.md
// §5 that the benchmark's setup sends (init, process_bundle, encrypt, decrypt, quit), over a BenchParty of the same
// release, so the sessions it makes are libsignal-to-libsignal. Setup only; nothing it does is timed.

import { session, signal } from './libsignal.mjs';
import { b64, BenchParty, fromB64 } from './party.mjs';

const { KEMPublicKey, PreKeyBundle, ProtocolAddress, PublicKey } = signal;

function parseBundle(json) {
  return PreKeyBundle.new(
    json.registrationId,
    json.deviceId,
    json.preKeyId ?? null,
    json.preKey_b64 == null ? null : PublicKey.deserialize(fromB64(json.preKey_b64)),
    json.signedPreKeyId,
    PublicKey.deserialize(fromB64(json.signedPreKey_b64)),
    fromB64(json.signedPreKeySignature_b64),
    PublicKey.deserialize(fromB64(json.identityKey_b64)),
    json.kyberPreKeyId,
    KEMPublicKey.deserialize(fromB64(json.kyberPreKey_b64)),
    fromB64(json.kyberPreKeySignature_b64),
  );
}

export class LocalPeer {
  label = 'libsignal (in process)';
  #party = null;

  async request(cmd, fields = {}) {
    if (cmd === 'init') {
      this.#party = new BenchParty(fields.name);
      return { ok: true };
    }
    const party = this.#party;
    if (party === null) {
      throw new Error(`${this.label}: '${cmd}' before 'init'`);
    }
    const remote = fields.peer === undefined ? null : ProtocolAddress.new(fields.peer, 1);
    switch (cmd) {
      case 'process_bundle':
        await session.processPreKeyBundle(
          parseBundle(fields.bundle), remote, party.address, party.stores.sessions, party.stores.identity);
        return { ok: true, peer: fields.peer, peerDeviceId: 1 };
      case 'encrypt': {
        const message = await party.encrypt(remote, fromB64(fields.plaintext_b64));
        return { ok: true, type: message.type, body_b64: b64(message.body) };
      }
      case 'decrypt':
        return { ok: true, plaintext_b64: b64(await party.decrypt(remote, { type: fields.type, body: fromB64(fields.body_b64) })) };
      case 'quit':
        return { ok: true };
      default:
        throw new Error(`${this.label}: unsupported request '${cmd}'`);
    }
  }

  quit() {
    return Promise.resolve();
  }
}
