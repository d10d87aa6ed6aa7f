namespace Parley.Contracts;

/// <summary>Answer of <c>GET /v1/health</c>.</summary>
/// <param name="Status"><c>"ready"</c> when the store is open and migrations are applied.</param>
/// <param name="Version">The API version, <c>"v1"</c>.</param>
public sealed record HealthResponse(string Status, string Version);
