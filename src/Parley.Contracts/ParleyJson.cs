namespace Parley.Contracts;

/// <summary>JSON settings shared by the relay and its clients.</summary>
public static class ParleyJson
{
    /// <summary>The deepest nesting any relay DTO needs, with a little room; deeper input is rejected.</summary>
    public const int MaxDepth = 8;

    /// <summary>The media type of every relay request and response body.</summary>
    public const string MediaType = "application/json";

    /// <summary>The media type of error responses (RFC 9457).</summary>
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>The generated serializer context (strict options).</summary>
    public static ParleyJsonContext Context => ParleyJsonContext.Default;
}
