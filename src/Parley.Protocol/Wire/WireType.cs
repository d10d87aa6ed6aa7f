namespace Parley.Protocol.Wire;

/// <summary>Protobuf wire types Parley reads and writes (groups, types 3 and 4, are refused).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
