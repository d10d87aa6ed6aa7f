using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Auth;
using Parley.Server.Messages;
using Parley.Server.Operations;

namespace Parley.Server.Hosting;

/// <summary>The relay's services; the store ports come from the <see cref="RelayStore"/> (SQLite by default).</summary>
internal static class RelayServices
{
    public static IServiceCollection AddRelay(this IServiceCollection services, RelayOptions options, RelayLimits limits, RelayStore store)
    {
        services.AddSingleton(limits);
        services.AddSingleton(options.TimeProvider);
        services.AddSingleton(store);
        store.AddServices(services, options);
        services.AddSingleton(provider => new OperatorLog(
            provider.GetRequiredService<ILoggerFactory>(), options.TimeProvider, options.ShowCiphertext));
        services.AddSingleton<ExpirySweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<ExpirySweeper>());

        // Nothing in the relay protects data with ASP.NET data protection (which authentication pulls in):
        // keep its key ring in memory so that no key file is ever written to the user's profile.
        services.AddDataProtection();
        services.Configure<KeyManagementOptions>(keys => keys.XmlRepository = new InMemoryXmlRepository());
        services.AddAuthentication(BasicAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);

        // Every route needs an authenticated device unless it says AllowAnonymous: a new route is closed by default.
        // The policy names no scheme: Basic is the only and default one, so the authentication middleware's result
        // stands (naming it would authenticate each request a second time into a merged copy of the principal,
        // which a stream then holds for its whole life).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddRelayRateLimits(limits);
        return services;
    }
}
