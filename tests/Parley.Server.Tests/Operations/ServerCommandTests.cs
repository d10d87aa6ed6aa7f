namespace Parley.Server.Tests.Operations;

/// <summary>The <c>parley server</c> verb's own surface (the crash tests run it for real).</summary>
public sealed class ServerCommandTests
{
    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        var (exitCode, output) = await RelayProcess.RunAsync("server", "--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("Usage: parley server [--data DIR] [--urls URL] [--store sqlite|postgres] [--postgres CONNSTRING] [--show-ciphertext] [--help]", output, StringComparison.Ordinal);
        Assert.Contains("./parley-data", output, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8080", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_argument_exits_2_with_a_one_line_error()
    {
        var (exitCode, output) = await RelayProcess.RunAsync("server", "--port", "80");
        Assert.Equal(2, exitCode);
        Assert.Equal("parley server: unexpected argument '--port' (see parley server --help)", output.Trim());
    }

    [Fact]
    public async Task A_port_in_use_exits_1_with_a_one_line_error()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var data = Path.Combine(Path.GetTempPath(), "parley-cli-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, output) = await RelayProcess.RunAsync("server", "--data", data, "--urls", $"http://127.0.0.1:{port}");
            Assert.Equal(1, exitCode);
            Assert.Contains("parley server:", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
