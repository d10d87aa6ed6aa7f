// Just enough protobuf reading to describe a serialized SessionRecord in `session_info`
// (RecordStructure {1 current_session, 2 previous_sessions}; SessionStructure {1 session_version}).

function readVarint(bytes, state) {
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (state.offset >= bytes.length) {
      throw new Error('truncated varint');
    }
    const byte = bytes[state.offset++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) {
      return result;
    }
  }
  throw new Error('varint too long');
}

/** Top-level fields of a message as [{field, wireType, value}] (value: bigint or Uint8Array). */
export function readFields(bytes) {
  const fields = [];
  const state = { offset: 0 };
  while (state.offset < bytes.length) {
    const key = readVarint(bytes, state);
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    switch (wireType) {
      case 0:
        fields.push({ field, wireType, value: readVarint(bytes, state) });
        break;
      case 1:
        state.offset += 8;
        break;
      case 2: {
        const length = Number(readVarint(bytes, state));
        if (state.offset + length > bytes.length) {
          throw new Error('truncated field');
        }
        fields.push({ field, wireType, value: bytes.subarray(state.offset, state.offset + length) });
        state.offset += length;
        break;
      }
      case 5:
        state.offset += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
    if (state.offset > bytes.length) {
      throw new Error('truncated message');
    }
  }
  return fields;
}

/** {currentVersion, archivedStates} of a serialized SessionRecord; version null without a current state. */
export function describeSessionRecord(bytes) {
  const record = readFields(bytes);
  const current = record.find((f) => f.field === 1 && f.wireType === 2);
  const archivedStates = record.filter((f) => f.field === 2 && f.wireType === 2).length;
  let currentVersion = null;
  if (current !== undefined) {
    const version = readFields(current.value).find((f) => f.field === 1 && f.wireType === 0);
    currentVersion = version === undefined ? 0 : Number(version.value);
  }
  return { currentVersion, archivedStates };
}
