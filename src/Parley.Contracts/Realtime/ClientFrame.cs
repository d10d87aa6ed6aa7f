using System.Text.Json.Serialization;

namespace Parley.Contracts.Realtime;

/// <summary>A text frame a device sends on <c>/v1/stream</c>; <c>type</c> says which.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AckFrame), "ack")]
public abstract record ClientFrame;

/// <summary>Acknowledges envelopes by id; they leave the mailbox. At most 1000 ids per frame.</summary>
/// <param name="Ids">Envelope ids.</param>
public sealed record AckFrame(IReadOnlyList<Guid> Ids) : ClientFrame;
