// The benchmarked operations over libsignal's Node API (0.90.0, or 0.103.0 with PARLEY_BENCH_LIBSIGNAL=bench), one per row of bench/Parley.Benchmarks (same ids,
// same inputs). Operations that consume state run in fixed batches of prepared copies, sized for batches of roughly
// 100-500 ms at libsignal's speed from Node. Each operation: {id, run(i), sync?, batch?, prepare?(count)}; prepare
// rebuilds consumed state before a batch and is not timed.

import { protobuf, session, signal } from './libsignal.mjs';
import { runConversation } from './conversation.mjs';
import { addresses, b64, BenchParty, fromB64, LARGE, MEDIUM, MessageType, payload, SMALL, storeSessionCopies } from './party.mjs';

const {
  Fingerprint,
  KEMKeyPair,
  PreKeySignalMessage,
  PrivateKey,
  SenderKeyDistributionMessage,
  SenderKeyRecord,
  SessionRecord,
  SignalMessage,
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistributionMessage,
} = signal;

const GROUP = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

function pooled(count, pool) {
  if (count > pool) {
    throw new Error(`batch of ${count} exceeds the pool of ${pool} prepared states`);
  }
}

/** X25519, XEdDSA and Kyber key generation: no state. */
export function primitiveOperations() {
  const ours = PrivateKey.generate();
  const oursPublic = ours.getPublicKey();
  const theirs = PrivateKey.generate().getPublicKey();
  const message = theirs.serialize();
  const signature = ours.sign(message);
  return [
    { id: 'x25519.keygen', sync: true, run: () => PrivateKey.generate().getPublicKey() },
    { id: 'x25519.agree', sync: true, run: () => ours.agree(theirs) },
    { id: 'xeddsa.sign', sync: true, run: () => ours.sign(message) },
    {
      id: 'xeddsa.verify',
      sync: true,
      run: () => {
        if (!oursPublic.verify(message, signature)) {
          throw new Error('the benchmark signature must verify');
        }
      },
    },
    { id: 'kyber.keygen', sync: true, run: () => KEMKeyPair.generate() },
  ];
}

/** Operations that need no peer: PQXDH as initiator, sender keys, safety numbers. */
export async function localOperations() {
  const operations = [];

  {
    const pool = 128;
    const alice = new BenchParty('alice');
    const bob = new BenchParty('bob');
    const keys = bob.createPreKeys(1);
    const bundle = bob.bundle(keys);
    const targets = addresses('bob', pool);
    let s = alice.newStores();
    operations.push({
      id: 'pqxdh.initiate',
      batch: pool,
      prepare: (count) => {
        pooled(count, pool);
        s = alice.newStores();
      },
      run: (i) => session.processPreKeyBundle(bundle, targets[i], alice.address, s.sessions, s.identity),
    });
  }

  {
    const alice = new BenchParty('alice');
    await SenderKeyDistributionMessage.create(alice.address, GROUP, alice.stores.senderKeys);
    const plaintext = payload(SMALL);
    operations.push({
      id: 'group.encrypt.100B',
      run: async () => (await groupEncrypt(alice.address, GROUP, alice.stores.senderKeys, plaintext)).serialize(),
    });
    // An existing chain: one store load, no cryptography; the fixed cost of an async call through the bridge.
    operations.push({
      id: 'group.distribution',
      run: async () => (await SenderKeyDistributionMessage.create(alice.address, GROUP, alice.stores.senderKeys)).serialize(),
    });
  }

  {
    const pool = 1024;
    const alice = new BenchParty('alice');
    const bob = new BenchParty('bob');
    const distribution = await SenderKeyDistributionMessage.create(alice.address, GROUP, alice.stores.senderKeys);
    await processSenderKeyDistributionMessage(
      alice.address, SenderKeyDistributionMessage.deserialize(distribution.serialize()), bob.stores.senderKeys);
    const record = (await bob.stores.senderKeys.getSenderKey(alice.address, GROUP)).serialize();
    const message = (await groupEncrypt(alice.address, GROUP, alice.stores.senderKeys, payload(SMALL))).serialize();
    const senders = addresses('alice', pool);
    let s = bob.newStores();
    operations.push({
      id: 'group.decrypt.100B',
      batch: pool,
      prepare: async (count) => {
        pooled(count, pool);
        s = bob.newStores();
        for (const sender of senders) {
          await s.senderKeys.saveSenderKey(sender, GROUP, SenderKeyRecord.deserialize(record));
        }
      },
      run: (i) => groupDecrypt(senders[i], s.senderKeys, message),
    });
  }

  {
    const uuid = (text) => new Uint8Array(Buffer.from(text.replaceAll('-', ''), 'hex'));
    const localId = uuid('9d0652a3-dcc3-4d11-975f-74d61598733f');
    const remoteId = uuid('796abedb-ca4e-4f18-8803-1fde5b921f9f');
    const localKey = new BenchParty('alice').identity.publicKey;
    const remoteKey = new BenchParty('bob').identity.publicKey;
    operations.push({
      id: 'fingerprint.5200',
      sync: true,
      run: () => Fingerprint.new(5200, 2, localId, localKey, remoteId, remoteKey).displayableFingerprint().toString(),
    });
  }

  return operations;
}

/**
 * Operations whose state comes from sessions with `peer`: the PreKey decrypt, the ratchet and the session record.
 * With Parley as the peer, libsignal negotiates the session without SPQR, so both implementations do the same work.
 * `suffix` marks rows measured against another peer.
 */
export async function sessionOperations(peer, suffix = '') {
  await peer.request('init', { name: 'alice', deviceId: 1 });
  const operations = [];
  const conversation = await runConversation(peer);
  const { bob, alice } = conversation;
  const info = { finalRecordBytes: conversation.final.length, pqRatchetStateBytes: pqStateLength(conversation.final) };

  {
    const pool = 128;
    const responder = new BenchParty('bob');
    const keys = [];
    const messages = [];
    for (let id = 1; id <= pool; id++) {
      const set = responder.createPreKeys(id);
      keys.push(set);
      await peer.request('process_bundle', { peer: `bob-${id}`, bundle: responder.bundleJson(set) });
      const answer = await peer.request('encrypt', { peer: `bob-${id}`, plaintext_b64: b64(payload(SMALL)) });
      if (answer.type !== MessageType.PreKey) {
        throw new Error(`expected a PreKey message, got type ${answer.type}`);
      }
      messages.push(fromB64(answer.body_b64));
    }
    const senders = addresses('alice', pool);
    let s = responder.newStores();
    operations.push({
      id: `pqxdh.respond${suffix}`,
      batch: pool,
      prepare: async (count) => {
        pooled(count, pool);
        s = responder.newStores();
        for (const set of keys) {
          await responder.publish(set, s);
        }
      },
      run: (i) => session.decryptPreKey(PreKeySignalMessage.deserialize(messages[i]), senders[i], responder.address, s),
    });
  }

  {
    const s = bob.newStores();
    await s.sessions.saveSession(alice, SessionRecord.deserialize(conversation.final));
    for (const [id, size] of [['ratchet.encrypt.100B', SMALL], ['ratchet.encrypt.1KiB', MEDIUM], ['ratchet.encrypt.16KiB', LARGE]]) {
      const plaintext = payload(size);
      operations.push({
        id: `${id}${suffix}`,
        run: async () => (await session.encrypt(plaintext, alice, bob.address, s.sessions, s.identity)).serialize(),
      });
    }
  }

  const copies = (id, pool, before, message) => {
    const senders = addresses('alice', pool);
    let s = bob.newStores();
    return {
      id: `${id}${suffix}`,
      batch: pool,
      prepare: async (count) => {
        pooled(count, pool);
        s = bob.newStores();
        await storeSessionCopies(s.sessions, before, senders);
      },
      run: (i) => session.decrypt(SignalMessage.deserialize(message.body), senders[i], bob.address, s.sessions, s.identity),
    };
  };
  operations.push(copies('ratchet.decrypt.100B', 2048, conversation.beforeSmall, conversation.small));
  operations.push(copies('ratchet.decrypt.1KiB', 2048, conversation.beforeMedium, conversation.medium));
  operations.push(copies('ratchet.decrypt.16KiB', 2048, conversation.beforeLarge, conversation.large));
  operations.push(copies('ratchet.turn', 512, conversation.beforeTurn, conversation.turn));

  {
    const bytes = conversation.final;
    const record = SessionRecord.deserialize(bytes);
    operations.push({ id: `record.serialize${suffix}`, sync: true, run: () => record.serialize() });
    operations.push({ id: `record.deserialize${suffix}`, sync: true, run: () => SessionRecord.deserialize(bytes) });
  }

  return { operations, info };
}

/** Length of SessionStructure.pq_ratchet_state (field 15) in the current state: 0 when SPQR was negotiated away. */
function pqStateLength(recordBytes) {
  const current = protobuf.readFields(recordBytes).find((f) => f.field === 1 && f.wireType === 2);
  if (current === undefined) {
    return null;
  }
  const pq = protobuf.readFields(current.value).find((f) => f.field === 15 && f.wireType === 2);
  return pq === undefined ? 0 : pq.value.length;
}
