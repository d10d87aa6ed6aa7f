using System.Text.Json.Serialization;
using Parley.Contracts.Messages;

namespace Parley.Contracts.Realtime;

/// <summary>A text frame the relay sends on <c>/v1/stream</c>; <c>type</c> says which.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EnvelopeFrame), "envelope")]
[JsonDerivedType(typeof(DrainedFrame), "drained")]
public abstract record ServerFrame;

/// <summary>One envelope. Acknowledge <c>envelope.id</c> with an <see cref="AckFrame"/> once it is safely stored.</summary>
/// <param name="Envelope">The envelope.</param>
public sealed record EnvelopeFrame(Envelope Envelope) : ServerFrame;

/// <summary>Sent once per connection, after every envelope that was waiting at connect time; pushes follow.</summary>
public sealed record DrainedFrame : ServerFrame;
