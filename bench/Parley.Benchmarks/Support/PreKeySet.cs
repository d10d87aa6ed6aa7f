using Parley.Protocol.Records;

namespace Parley.Benchmarks.Support;

/// <summary>The pre-keys behind one bundle: one-time EC, signed EC and one-time Kyber, all with the same id.</summary>
public sealed record PreKeySet(PreKeyRecord OneTime, SignedPreKeyRecord SignedPreKey, KyberPreKeyRecord Kyber);
