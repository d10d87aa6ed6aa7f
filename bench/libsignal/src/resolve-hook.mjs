// Module resolve hook (node:module register): resolves '@signalapp/libsignal-client' from the chosen install for
// every importer, interop/'s stores included, so one process holds exactly one libsignal release.

let parentURL;

export function initialize(data) {
  parentURL = data.parentURL;
}

export function resolve(specifier, context, nextResolve) {
  if (specifier === '@signalapp/libsignal-client' || specifier.startsWith('@signalapp/libsignal-client/')) {
    return nextResolve(specifier, { ...context, parentURL });
  }
  return nextResolve(specifier, context);
}
