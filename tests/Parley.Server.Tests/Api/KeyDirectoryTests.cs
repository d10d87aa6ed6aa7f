using System.Collections.Concurrent;
using Parley.Contracts.Errors;
using Parley.Contracts.Keys;

namespace Parley.Server.Tests.Api;

public sealed class KeyDirectoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestRelay relay = null!;

    public async Task InitializeAsync() => relay = await TestRelay.StartAsync(limits =>
    {
        limits.MaxOneTimePreKeysPerDevice = 150;
    });

    public async Task DisposeAsync() => await relay.DisposeAsync();

    [Fact]
    public async Task A_bundle_carries_the_registered_keys_and_one_time_keys_once()
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob", oneTimePreKeys: 2, oneTimeKyberPreKeys: 1);

        var first = await BundleAsync(alice, "bob");
        Assert.Equal("bob", first.Username);
        var device = Assert.Single(first.Devices);
        Assert.Equal(1, device.DeviceId);
        Assert.Equal(bob.Keys.RegistrationId, device.RegistrationId);
        Assert.Equal(bob.Keys.IdentityKey, device.IdentityKey);
        Assert.Equal(bob.Keys.SignedPreKey.PublicKey, device.SignedPreKey.PublicKey);
        Assert.Equal(bob.Keys.SignedPreKey.Signature, device.SignedPreKey.Signature);
        Assert.Equal(bob.Keys.OneTimePreKeys![0].PublicKey, device.PreKey!.PublicKey);
        Assert.Equal(bob.Keys.OneTimeKyberPreKeys![0].PublicKey, device.KyberPreKey.PublicKey);

        // The one-time Kyber key is gone: the last-resort key is handed out from now on.
        var second = Assert.Single((await BundleAsync(alice, "bob")).Devices);
        Assert.Equal(bob.Keys.OneTimePreKeys[1].PublicKey, second.PreKey!.PublicKey);
        Assert.Equal(bob.Keys.LastResortKyberPreKey.KeyId, second.KyberPreKey.KeyId);
        Assert.Equal(bob.Keys.LastResortKyberPreKey.PublicKey, second.KyberPreKey.PublicKey);

        // No one-time EC key left: the field is omitted, the bundle still usable.
        var third = Assert.Single((await BundleAsync(alice, "bob")).Devices);
        Assert.Null(third.PreKey);
        Assert.Equal(bob.Keys.LastResortKyberPreKey.PublicKey, third.KyberPreKey.PublicKey);
    }

    [Fact]
    public async Task The_count_tells_a_device_when_to_replenish_and_uploads_add_keys()
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob", oneTimePreKeys: 3, oneTimeKyberPreKeys: 2);
        Assert.Equal(new PreKeyCountResponse(3, 2), await CountAsync(bob));

        await BundleAsync(alice, "bob");
        Assert.Equal(new PreKeyCountResponse(2, 1), await CountAsync(bob));

        using var upload = await bob.Http.PutAsJsonAsync(
            ApiPaths.Keys,
            new UploadKeysRequest(OneTimePreKeys: TestKeys.OneTime(100, 100), OneTimeKyberPreKeys: TestKeys.OneTimeKyber(300, 100)),
            ParleyJsonContext.Default.UploadKeysRequest);
        Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        Assert.Equal(new PreKeyCountResponse(102, 101), await CountAsync(bob));
    }

    [Fact]
    public async Task Signed_and_last_resort_keys_are_replaced_by_upload()
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var signed = TestKeys.Signed(7);
        var lastResort = TestKeys.Kyber(8);

        using var upload = await bob.Http.PutAsJsonAsync(ApiPaths.Keys, new UploadKeysRequest(signed, lastResort), ParleyJsonContext.Default.UploadKeysRequest);
        Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);

        var bundle = Assert.Single((await BundleAsync(alice, "bob")).Devices);
        Assert.Equal(7u, bundle.SignedPreKey.KeyId);
        Assert.Equal(signed.PublicKey, bundle.SignedPreKey.PublicKey);
        Assert.Equal(lastResort.PublicKey, bundle.KyberPreKey.PublicKey);
    }

    [Fact]
    public async Task A_device_cannot_hold_more_one_time_keys_than_the_limit()
    {
        var bob = await relay.RegisterAsync("bob", oneTimePreKeys: 100);
        using var upload = await bob.Http.PutAsJsonAsync(
            ApiPaths.Keys, new UploadKeysRequest(OneTimePreKeys: TestKeys.OneTime(500, 51)), ParleyJsonContext.Default.UploadKeysRequest);
        await ProblemAssert.IsAsync(upload, HttpStatusCode.Conflict, ErrorCodes.PreKeyLimit);
        Assert.Equal(new PreKeyCountResponse(100, 0), await CountAsync(bob));
    }

    public static TheoryData<string, UploadKeysRequest, string> BadUploads() => new()
    {
        { "empty upload", new UploadKeysRequest(), ErrorCodes.InvalidKeyUpload },
        { "EC key 32 bytes", new UploadKeysRequest(new SignedPreKey(1, TestKeys.Ec()[..32], TestKeys.Signature())), ErrorCodes.InvalidKey },
        { "EC key wrong type", new UploadKeysRequest(new SignedPreKey(1, [0x08, .. TestKeys.Ec()[1..]], TestKeys.Signature())), ErrorCodes.InvalidKey },
        { "signature 63 bytes", new UploadKeysRequest(new SignedPreKey(1, TestKeys.Ec(), TestKeys.Signature()[..63])), ErrorCodes.InvalidKey },
        { "Kyber key 1568 bytes", new UploadKeysRequest(LastResortKyberPreKey: new SignedPreKey(1, TestKeys.KyberKey()[..1568], TestKeys.Signature())), ErrorCodes.InvalidKey },
        { "Kyber key wrong type", new UploadKeysRequest(LastResortKyberPreKey: new SignedPreKey(1, [0x0A, .. TestKeys.KyberKey()[1..]], TestKeys.Signature())), ErrorCodes.InvalidKey },
        { "Kyber signature empty", new UploadKeysRequest(LastResortKyberPreKey: new SignedPreKey(1, TestKeys.KyberKey(), [])), ErrorCodes.InvalidKey },
        { "one-time key 34 bytes", new UploadKeysRequest(OneTimePreKeys: [new PreKey(1, [.. TestKeys.Ec(), 0])]), ErrorCodes.InvalidKey },
        { "one-time Kyber as EC", new UploadKeysRequest(OneTimeKyberPreKeys: [TestKeys.Signed(1)]), ErrorCodes.InvalidKey },
        { "101 one-time keys", new UploadKeysRequest(OneTimePreKeys: TestKeys.OneTime(1, 101)), ErrorCodes.InvalidKeyUpload },
        { "repeated key id", new UploadKeysRequest(OneTimePreKeys: [new PreKey(5, TestKeys.Ec()), new PreKey(5, TestKeys.Ec())]), ErrorCodes.InvalidKeyUpload },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task Structurally_bad_keys_get_422_and_change_nothing(string what, UploadKeysRequest request, string code)
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob", oneTimePreKeys: 1);
        using var upload = await bob.Http.PutAsJsonAsync(ApiPaths.Keys, request, ParleyJsonContext.Default.UploadKeysRequest);
        var problem = await ProblemAssert.IsAsync(upload, HttpStatusCode.UnprocessableEntity, code);
        Assert.False(string.IsNullOrEmpty(problem.Detail), what);

        var bundle = Assert.Single((await BundleAsync(alice, "bob")).Devices);
        Assert.Equal(bob.Keys.SignedPreKey.PublicKey, bundle.SignedPreKey.PublicKey);
        Assert.Equal(bob.Keys.LastResortKyberPreKey.PublicKey, bundle.KyberPreKey.PublicKey);
    }

    [Fact]
    public async Task Structurally_bad_keys_at_registration_get_422()
    {
        var request = TestKeys.Registration("erin") with { IdentityKey = TestKeys.KyberKey() };
        using var response = await relay.Anonymous().PostAsJsonAsync(ApiPaths.Accounts, request, ParleyJsonContext.Default.RegisterAccountRequest);
        await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, ErrorCodes.InvalidKey);
    }

    [Fact]
    public async Task A_bundle_for_an_unknown_user_is_404()
    {
        var alice = await relay.RegisterAsync("alice");
        foreach (var name in new[] { "nobody", "no.body", "x" })
        {
            using var response = await alice.Http.GetAsync(ApiPaths.Bundle(name));
            await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }
    }

    [Fact]
    public async Task Hundred_concurrent_fetches_against_fifty_one_time_keys_hand_out_each_key_at_most_once()
    {
        var bob = await relay.RegisterAsync("bob", oneTimePreKeys: 50, oneTimeKyberPreKeys: 50);
        var fetchers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => relay.RegisterAsync("fetcher" + i)));

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handedOut = new ConcurrentBag<DevicePreKeyBundle>();
        var fetches = Enumerable.Range(0, 100).Select(async i =>
        {
            await start.Task;
            handedOut.Add(Assert.Single((await BundleAsync(fetchers[i % 10], "bob")).Devices));
        }).ToList();
        start.SetResult();
        await Task.WhenAll(fetches);

        var ec = handedOut.Where(b => b.PreKey is not null).Select(b => b.PreKey!.KeyId).ToList();
        var kyber = handedOut.Select(b => b.KyberPreKey.KeyId).Where(id => id != bob.Keys.LastResortKyberPreKey.KeyId).ToList();
        output.WriteLine($"100 fetches: {ec.Count} with a one-time EC key ({ec.Distinct().Count()} distinct), {kyber.Count} with a one-time Kyber key ({kyber.Distinct().Count()} distinct)");

        Assert.Equal(100, handedOut.Count);
        Assert.Equal(50, ec.Count);
        Assert.Equal(50, ec.Distinct().Count());
        Assert.Equal(50, handedOut.Count(b => b.PreKey is null));
        Assert.Equal(50, kyber.Count);
        Assert.Equal(50, kyber.Distinct().Count());
        Assert.Equal(new PreKeyCountResponse(0, 0), await CountAsync(bob));
    }

    private static async Task<PreKeyBundleResponse> BundleAsync(TestDevice caller, string username) =>
        (await caller.Http.GetFromJsonAsync(ApiPaths.Bundle(username), ParleyJsonContext.Default.PreKeyBundleResponse))!;

    private static async Task<PreKeyCountResponse> CountAsync(TestDevice device) =>
        (await device.Http.GetFromJsonAsync(ApiPaths.KeyCount, ParleyJsonContext.Default.PreKeyCountResponse))!;
}
