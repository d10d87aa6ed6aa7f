// The libsignal release under test, with interop/'s in-memory stores. Two installs are known:
// - interop/ (default): 0.90.0, the release the interop tests pin, so the benchmark measures exactly that one;
// - bench/libsignal/ (PARLEY_BENCH_LIBSIGNAL=bench): 0.103.0, a newer release, which requires SPQR.
// The stores keep records serialized, as Parley's in-memory stores do, so both sides pay the same store round trips.
// With the bench/ install, bench.mjs registers resolve-hook.mjs first, so that interop/'s stores load that release too.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const interopDir = fileURLToPath(new URL('../../../interop/', import.meta.url));
export const benchDir = fileURLToPath(new URL('../', import.meta.url));

/** Which install to load: 'interop' (0.90.0) or 'bench' (0.103.0). */
export const selection = process.env.PARLEY_BENCH_LIBSIGNAL === 'bench' ? 'bench' : 'interop';
export const installDir = selection === 'bench' ? benchDir : interopDir;

const installRequire = createRequire(`${installDir}package.json`);

function resolveLibsignal() {
  try {
    return installRequire.resolve('@signalapp/libsignal-client');
  } catch {
    throw new Error(`@signalapp/libsignal-client is not installed under ${installDir}; run: (cd ${installDir} && npm ci)`);
  }
}

export const signal = await import(pathToFileURL(resolveLibsignal()).href);
export const libsignalVersion = JSON.parse(
  readFileSync(installRequire.resolve('@signalapp/libsignal-client/package.json'), 'utf8')).version;

// Imported after libsignal so both resolve to the same module instance (the stores subclass its store classes).
export const stores = await import(pathToFileURL(`${interopDir}src/stores.mjs`).href);
export const protobuf = await import(pathToFileURL(`${interopDir}src/protobuf.mjs`).href);

if (!(stores.MemorySessionStore.prototype instanceof signal.SessionStore)) {
  throw new Error(`interop/src/stores.mjs did not load libsignal ${libsignalVersion} from ${installDir}`);
}

// Releases after 0.90 take the local address as well (the `addresses` field, PROTOCOL.md §6.6); one call shape here
// for both, so the operations read the same. The arity tells the releases apart.
const takesLocalAddress = signal.signalDecrypt.length === 5;
const withLocal = (local) => (takesLocalAddress ? [local] : []);

export const session = Object.freeze({
  processPreKeyBundle: (bundle, remote, local, sessions, identity) =>
    signal.processPreKeyBundle(bundle, remote, ...withLocal(local), sessions, identity),
  encrypt: (plaintext, remote, local, sessions, identity) =>
    signal.signalEncrypt(plaintext, remote, ...withLocal(local), sessions, identity),
  decrypt: (message, remote, local, sessions, identity) =>
    signal.signalDecrypt(message, remote, ...withLocal(local), sessions, identity),
  decryptPreKey: (message, remote, local, s) =>
    signal.signalDecryptPreKey(message, remote, ...withLocal(local), s.sessions, s.identity, s.preKeys, s.signedPreKeys, s.kyberPreKeys),
});
