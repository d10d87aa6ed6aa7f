namespace Parley.Protocol.Stores;

/// <summary>All protocol stores in one object, for callers that keep them together.</summary>
public interface IProtocolStore : ISessionStore, IIdentityKeyStore, IPreKeyStore, ISignedPreKeyStore, IKyberPreKeyStore, ISenderKeyStore
{
}
