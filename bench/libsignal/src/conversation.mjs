// The fixed 1:1 exchange every ratchet benchmark starts from, the same one as
// bench/Parley.Benchmarks/Support/Conversation.cs: the peer (Alice) processes Bob's bundle and sends a PreKey
// message, Bob replies, Alice answers with a new ratchet key (a ratchet turn for Bob), then three more messages in
// that chain (100 B, 1 KiB, 16 KiB). Bob, the measured side, is libsignal in this process.

import { signal } from './libsignal.mjs';
import { b64, BenchParty, fromB64, LARGE, MEDIUM, MessageType, payload, SMALL } from './party.mjs';

const { ProtocolAddress } = signal;

async function peerEncrypt(peer, to, size, expectedType) {
  const answer = await peer.request('encrypt', { peer: to, plaintext_b64: b64(payload(size)) });
  if (answer.type !== expectedType) {
    throw new Error(`${peer.label} sent type ${answer.type}, expected ${expectedType}`);
  }
  return { type: answer.type, body: fromB64(answer.body_b64) };
}

/** Runs the exchange with `peer` (already initialised as "alice"); returns Bob and the states and messages. */
export async function runConversation(peer) {
  const bob = new BenchParty('bob');
  const alice = ProtocolAddress.new('alice', 1);
  const keys = bob.createPreKeys(1);
  await bob.publish(keys);
  await peer.request('process_bundle', { peer: 'bob', bundle: bob.bundleJson(keys) });
  await bob.decrypt(alice, await peerEncrypt(peer, 'bob', SMALL, MessageType.PreKey));
  const reply = await bob.encrypt(alice, payload(SMALL));
  await peer.request('decrypt', { peer: 'bob', type: reply.type, body_b64: b64(reply.body) });

  const beforeTurn = bob.sessionBytes(alice);
  const turn = await peerEncrypt(peer, 'bob', SMALL, MessageType.Whisper);
  await bob.decrypt(alice, turn);

  const beforeSmall = bob.sessionBytes(alice);
  const small = await peerEncrypt(peer, 'bob', SMALL, MessageType.Whisper);
  await bob.decrypt(alice, small);

  const beforeMedium = bob.sessionBytes(alice);
  const medium = await peerEncrypt(peer, 'bob', MEDIUM, MessageType.Whisper);
  await bob.decrypt(alice, medium);

  const beforeLarge = bob.sessionBytes(alice);
  const large = await peerEncrypt(peer, 'bob', LARGE, MessageType.Whisper);
  if ((await bob.decrypt(alice, large)).length !== LARGE) {
    throw new Error('the setup conversation did not round-trip');
  }
  return { bob, alice, beforeTurn, turn, beforeSmall, small, beforeMedium, medium, beforeLarge, large, final: bob.sessionBytes(alice) };
}
