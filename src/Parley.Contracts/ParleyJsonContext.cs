using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Contracts.Accounts;
using Parley.Contracts.Errors;
using Parley.Contracts.Keys;
using Parley.Contracts.Messages;
using Parley.Contracts.Realtime;

namespace Parley.Contracts;

/// <summary>
/// Source-generated JSON for every relay DTO: camelCase names, binary fields as standard base64,
/// unknown members rejected, nesting capped at <see cref="ParleyJson.MaxDepth"/>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = ParleyJson.MaxDepth,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(RegisterAccountRequest))]
[JsonSerializable(typeof(RegisterAccountResponse))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(UploadKeysRequest))]
[JsonSerializable(typeof(PreKeyCountResponse))]
[JsonSerializable(typeof(PreKeyBundleResponse))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(SendMessageResponse))]
[JsonSerializable(typeof(MessageBatch))]
[JsonSerializable(typeof(AcknowledgeRequest))]
[JsonSerializable(typeof(ServerFrame))]
[JsonSerializable(typeof(ClientFrame))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ApiProblem))]
public sealed partial class ParleyJsonContext : JsonSerializerContext;
