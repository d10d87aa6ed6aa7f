// Sender keys: skdm_create, skdm_process, group_encrypt and group_decrypt.

import {
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistributionMessage,
  SenderKeyDistributionMessage,
} from '@signalapp/libsignal-client';
import { requireParty } from './party.mjs';
import { encodeBase64, requireBytes, requireUuid } from './request.mjs';

export async function skdmCreate(context, request) {
  const party = requireParty(context.party);
  const distributionId = requireUuid(request, 'distributionId');
  const message = await SenderKeyDistributionMessage.create(party.address, distributionId, party.stores.senderKeys);
  return { skdm_b64: encodeBase64(message.serialize()) };
}

export async function skdmProcess(context, request) {
  const party = requireParty(context.party);
  const bytes = requireBytes(request, 'skdm_b64');
  const address = party.peerAddress(request);
  const message = SenderKeyDistributionMessage.deserialize(bytes);
  await processSenderKeyDistributionMessage(address, message, party.stores.senderKeys);
  return {};
}

export async function groupEncryptCommand(context, request) {
  const party = requireParty(context.party);
  const distributionId = requireUuid(request, 'distributionId');
  const plaintext = requireBytes(request, 'plaintext_b64');
  const message = await groupEncrypt(party.address, distributionId, party.stores.senderKeys, plaintext);
  return { type: message.type(), body_b64: encodeBase64(message.serialize()) };
}

export async function groupDecryptCommand(context, request) {
  const party = requireParty(context.party);
  const body = requireBytes(request, 'body_b64');
  const address = party.peerAddress(request);
  const plaintext = await groupDecrypt(address, party.stores.senderKeys, body);
  return { plaintext_b64: encodeBase64(plaintext) };
}
