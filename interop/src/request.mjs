// Reading and validating request fields. Every helper throws RequestError with a message that
// names the field, so a malformed request becomes an `ok:false` answer instead of a crash.

export class RequestError extends Error {}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Strict standard base64 (padding required, no whitespace); Buffer.from alone would skip junk. */
export function decodeBase64(value, field) {
  if (typeof value !== 'string') {
    throw new RequestError(`${field} must be a base64 string`);
  }
  if (!BASE64.test(value)) {
    throw new RequestError(`${field} is not valid base64`);
  }
  const buffer = Buffer.from(value, 'base64');
  // A fresh ArrayBuffer-backed Uint8Array: libsignal 0.90 wants Uint8Array<ArrayBuffer>.
  return new Uint8Array(buffer);
}

export function encodeBase64(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function requireField(request, field) {
  if (!Object.hasOwn(request, field) || request[field] === null || request[field] === undefined) {
    throw new RequestError(`missing field ${field}`);
  }
  return request[field];
}

export function requireString(request, field) {
  const value = requireField(request, field);
  if (typeof value !== 'string' || value.length === 0) {
    throw new RequestError(`${field} must be a non-empty string`);
  }
  return value;
}

export function requireBytes(request, field) {
  return decodeBase64(requireField(request, field), field);
}

export function requireObject(request, field) {
  const value = requireField(request, field);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new RequestError(`${field} must be an object`);
  }
  return value;
}

export function requireArray(request, field) {
  const value = requireField(request, field);
  if (!Array.isArray(value)) {
    throw new RequestError(`${field} must be an array`);
  }
  return value;
}

/** An integer in [min, max]; `fallback` when absent (undefined means required). */
export function integerField(request, field, min, max, fallback) {
  const present = Object.hasOwn(request, field) && request[field] !== null && request[field] !== undefined;
  if (!present) {
    if (fallback === undefined) {
      throw new RequestError(`missing field ${field}`);
    }
    return fallback;
  }
  const value = request[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RequestError(`${field} must be an integer in ${min}..${max}`);
  }
  return value;
}

export function optionalBoolean(request, field, fallback) {
  const value = request[field];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    throw new RequestError(`${field} must be a boolean`);
  }
  return value;
}

export function isUuid(text) {
  return UUID.test(text);
}

export function requireUuid(request, field) {
  const value = requireString(request, field);
  if (!isUuid(value)) {
    throw new RequestError(`${field} must be a hyphenated UUID`);
  }
  return value.toLowerCase();
}

/** The 16 bytes of a hyphenated UUID, in RFC 4122 order. */
export function uuidBytes(text) {
  return new Uint8Array(Buffer.from(text.replaceAll('-', ''), 'hex'));
}
