using System.Text;
using Parley.Crypto.Passwords;
using Parley.Crypto.Sodium;

namespace Parley.Crypto.Tests.Passwords;

/// <summary>
/// Argon2id through libsodium. RFC 9106's vector uses a secret and associated data, which crypto_pwhash cannot
/// take, so the known answers here are libsodium's own published test values (jedisct1/libsodium
/// test/default/pwhash_argon2id.c with its .exp, commit 58441ad2: tv() cases 0, 4, 6 and both tv2() cases):
/// password and salt as hex (libsodium's test reads only the first 16 salt bytes), output length, passes and
/// memory in bytes.
/// </summary>
public sealed class Argon2idTests
{
    public static TheoryData<string, string, int, ulong, ulong, string> LibsodiumVectors => new()
    {
        {
            "a347ae92bce9f80f6f595a4480fc9c2fe7e7d7148d371e9487d75f5c23008ffae065577a928febd9b1973a5a95073acdbeb6a030cfc0d79caa2dc5cd011cef02c08da232d76d52dfbca38ca8dcbd665b17d1665f7cf5fe59772ec909733b24de97d6f58d220b20c60d7c07ec1fd93c52c31020300c6c1facd77937a597c7a6",
            "5541fbc995d5c197ba290346d2c559de", 155, 5, 7256678,
            "18acec5d6507739f203d1f5d9f1d862f7c2cdac4f19d2bdff64487e60d969e3ced615337b9eec6ac4461c6ca07f0939741e57c24d0005c7ea171a0ee1e7348249d135b38f222e4dad7b9a033ed83f5ca27277393e316582033c74affe2566a2bea47f91f0fd9fe49ece7e1f79f3ad6e9b23e0277c8ecc4b313225748dd2a80f5679534a0700e246a79a49b3f74eb89ec6205fe1eeb941c73b1fcf1"
        },
        {
            "4a857e2ee8aa9b6056f2424e84d24a72473378906ee04a46cb05311502d5250b82ad86b83c8f20a23dbb74f6da60b0b6ecffd67134d45946ac8ebfb3064294bc097d43ced68642bfb8bbbdd0f50b30118f5e",
            "39d82eef32010b8b79cc5ba88ed539fb", 190, 3, 1432947,
            "08d8cd330c57e1b4643241d05bb468ba4ee4e932cd0858816be9ef15360b27bbd06a87130ee92222be267a29b81f5ae8fe8613324cfc4832dc49387fd0602f1c57b4d0f3855db94fb7e12eb05f9a484aed4a4307abf586cd3d55c809bc081541e00b682772fb2066504ff935b8ebc551a2083882f874bc0fae68e56848ae34c91097c3bf0cca8e75c0797eef3efde3f75e005815018db3cf7c109a812264c4de69dcb22322dbbcfa447f5b00ecd1b04a7be1569c8e556adb7bba48adf81d"
        },
        {
            "b540beb016a5366524d4605156493f9874514a5aa58818cd0c6dfffaa9e90205f17b",
            "44071f6d181561670bda728d43fb79b4", 231, 1, 1631659,
            "7fb72409b0987f8190c3729710e98c3f80c5a8727d425fdcde7f3644d467fe973f5b5fee683bd3fce812cb9ae5e9921a2d06c2f1905e4e839692f2b934b682f11a2fe2b90482ea5dd234863516dba6f52dc0702d324ec77d860c2e181f84472bd7104fedce071ffa93c5309494ad51623d214447a7b2b1462dc7d5d55a1f6fd5b54ce024118d86f0c6489d16545aaa87b6689dad9f2fb47fda9894f8e12b87d978b483ccd4cc5fd9595cdc7a818452f915ce2f7df95ec12b1c72e3788d473441d884f9748eb14703c21b45d82fd667b85f5b2d98c13303b3fe76285531a826b6fc0fe8e3dddecf"
        },
        {
            "a347ae92bce9f80f6f595a4480fc9c2fe7e7d7148d371e9487d75f5c23008ffae065577a928febd9b1973a5a95073acdbeb6a030cfc0d79caa2dc5cd011cef02c08da232d76d52dfbca38ca8dcbd665b17d1665f7cf5fe59772ec909733b24de97d6f58d220b20c60d7c07ec1fd93c52c31020300c6c1facd77937a597c7a6",
            "5541fbc995d5c197ba290346d2c559de", 155, 4, 1397645,
            "2d232f9dc4de96628b2a4c2b39ceb6a813011fb74a3ba1da096761fabe08f563bd91366aba5c5e35aecd98643cabc16ce560dca261a963230a1fa2af52f2413a57a827c6ee13bcec0c123d195914a55700ccb5756196a86fb9cb4aeacccc0e6dd850f4386b705aaae147ea347543b7fbe24553d9da41f1b335b6e9980cdb966cf7b48520eb42a7269380c885dbefbccf447851fcacbe1753a5b9e1"
        },
        {
            "a347ae92bce9f80f6f595a4480fc9c2fe7e7d7148d371e9487d75f5c23008ffae065577a928febd9b1973a5a95073acdbeb6a030cfc0d79caa2dc5cd011cef02c08da232d76d52dfbca38ca8dcbd665b17d1665f7cf5fe59772ec909733b24de97d6f58d220b20c60d7c07ec1fd93c52c31020300c6c1facd77937a597c7a6",
            "5541fbc995d5c197ba290346d2c559de", 155, 3, 1397645,
            "34b207147fb7ef83e1ca1a97e30aa6e08ea9b6b1048c59c9c13050dff33e76ce3c440d7f018f817e6b8593e78f339ba633b9d7ec3519b5eafbcc4bc2d20b5136bbc7e5b7e92ff37d024bbbecf5738f718ab22c8adcdb82ceffc233b8ad61f91850abdfe8bb119775d9c4243ec1ac761dfbd132489228dfeab5268c7f0ddc29f56b957d1b76c874cdd77e16139e0df9b847248fd782c9a1147b8480"
        },
    };

    [Theory]
    [MemberData(nameof(LibsodiumVectors))]
    public void Matches_libsodiums_published_test_values(string password, string salt, int length, ulong ops, ulong memory, string expected)
    {
        var output = Argon2id.DeriveKey(Convert.FromHexString(password), Convert.FromHexString(salt), length, ops, (nuint)memory);
        Assert.Equal(expected, Convert.ToHexString(output), ignoreCase: true);
    }

    [Fact]
    public void Same_inputs_give_the_same_key_and_each_input_matters()
    {
        var password = Encoding.UTF8.GetBytes("correct horse battery staple");
        var salt = Encoding.ASCII.GetBytes(">A 16-bytes salt");
        var cost = new Argon2idCost(2, 64 * 1024);
        var key = Argon2id.DeriveKey(password, salt, 32, cost);
        Assert.Equal(key, Argon2id.DeriveKey(password, salt, 32, cost));
        Assert.NotEqual(key, Argon2id.DeriveKey("correct horse battery stapl"u8, salt, 32, cost));
        Assert.NotEqual(key, Argon2id.DeriveKey(password, ">A 16-bytes salT"u8, 32, cost));
        Assert.NotEqual(key, Argon2id.DeriveKey(password, salt, 32, cost with { OpsLimit = 3 }));
        Assert.NotEqual(key, Argon2id.DeriveKey(password, salt, 32, cost with { MemLimitBytes = 128 * 1024 }));
        // The output length is an input to Argon2's H', so a longer key is not an extension of a shorter one.
        Assert.NotEqual(key, Argon2id.DeriveKey(password, salt, 64, cost)[..32]);
        Assert.Equal(16, Argon2id.DeriveKey(ReadOnlySpan<byte>.Empty, salt, 16, cost).Length);
    }

    [Fact]
    public void Parameters_outside_libsodiums_limits_are_rejected_with_a_named_argument()
    {
        var salt = new byte[16];
        Assert.Equal("salt16", Assert.Throws<ArgumentException>(() => Argon2id.DeriveKey("pw"u8, new byte[15], 32, 1, 8192)).ParamName);
        Assert.Equal("salt16", Assert.Throws<ArgumentException>(() => Argon2id.DeriveKey("pw"u8, new byte[17], 32, 1, 8192)).ParamName);
        Assert.Equal("outputLength", Assert.Throws<ArgumentOutOfRangeException>(() => Argon2id.DeriveKey("pw"u8, salt, 15, 1, 8192)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Argon2id.DeriveKey("pw"u8, salt, new byte[5], 1, 8192)).ParamName);
        Assert.Equal("opsLimit", Assert.Throws<ArgumentOutOfRangeException>(() => Argon2id.DeriveKey("pw"u8, salt, 32, 0, 8192)).ParamName);
        Assert.Equal("opsLimit", Assert.Throws<ArgumentOutOfRangeException>(() => Argon2id.DeriveKey("pw"u8, salt, 32, (ulong)uint.MaxValue + 1, 8192)).ParamName);
        Assert.Equal("memLimitBytes", Assert.Throws<ArgumentOutOfRangeException>(() => Argon2id.DeriveKey("pw"u8, salt, 32, 1, 8191)).ParamName);
        var limit = Argon2id.MaxMemLimitBytes;
        var tooMuchMemory = (nuint)(limit + 1); // this suite runs 64-bit only (the limit itself exceeds 32 bits)
        Assert.Equal("memLimitBytes", Assert.Throws<ArgumentOutOfRangeException>(() => Argon2id.DeriveKey("pw"u8, salt, 32, 1, tooMuchMemory)).ParamName);
        // The smallest accepted values work.
        Assert.Equal(16, Argon2id.DeriveKey("pw"u8, salt, 16, Argon2id.MinOpsLimit, (nuint)Argon2id.MinMemLimitBytes).Length);
    }

    [Fact]
    public void Constants_and_presets_equal_the_linked_libsodiums_own_values()
    {
        SodiumLibrary.EnsureInitialised();
        Assert.Equal(2, SodiumNative.crypto_pwhash_alg_argon2id13());
        Assert.Equal((nuint)Argon2id.SaltSize, SodiumNative.crypto_pwhash_argon2id_saltbytes());
        Assert.Equal((nuint)Argon2id.MinOutputLength, SodiumNative.crypto_pwhash_argon2id_bytes_min());
        Assert.Equal((nuint)Argon2id.MinOpsLimit, SodiumNative.crypto_pwhash_argon2id_opslimit_min());
        Assert.Equal((nuint)Argon2id.MaxOpsLimit, SodiumNative.crypto_pwhash_argon2id_opslimit_max());
        Assert.Equal((nuint)Argon2id.MinMemLimitBytes, SodiumNative.crypto_pwhash_argon2id_memlimit_min());
        Assert.Equal(Argon2id.MaxMemLimitBytes, (ulong)SodiumNative.crypto_pwhash_argon2id_memlimit_max());
        Assert.Equal(new Argon2idCost(SodiumNative.crypto_pwhash_argon2id_opslimit_interactive(), SodiumNative.crypto_pwhash_argon2id_memlimit_interactive()), Argon2idCost.Interactive);
        Assert.Equal(new Argon2idCost(SodiumNative.crypto_pwhash_argon2id_opslimit_moderate(), SodiumNative.crypto_pwhash_argon2id_memlimit_moderate()), Argon2idCost.Moderate);
    }

    [Fact]
    public void Interactive_preset_derives_a_key()
    {
        var key = Argon2id.DeriveKey("passphrase"u8, new byte[16], 32, Argon2idCost.Interactive);
        Assert.Equal(32, key.Length);
        Assert.Contains(key, b => b != 0);
    }
}
