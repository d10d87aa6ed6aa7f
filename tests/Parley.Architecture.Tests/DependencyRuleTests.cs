using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Parley.Testing;

namespace Parley.Architecture.Tests;

/// <summary>
/// DESIGN.md §1 dependency rules, checked twice: on the compiled assemblies' metadata references (what the
/// code actually uses) and on the project files' ProjectReference graph (what the build allows).
/// The relay cannot decrypt by construction: nothing under Parley.Server reaches Protocol, Crypto or Client.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly string[] ForbiddenForTheRelay = ["Parley.Protocol", "Parley.Crypto", "Parley.Client"];

    [Fact]
    public void Nothing_under_Parley_Server_references_Protocol_Crypto_or_Client_even_transitively()
    {
        var graph = AssemblyGraph();
        var relayAssemblies = graph.Keys.Where(IsRelay).ToList();
        Assert.Contains("Parley.Server", relayAssemblies);
        foreach (var relay in relayAssemblies)
        {
            var reachable = Closure(graph, relay);
            Assert.True(
                !reachable.Overlaps(ForbiddenForTheRelay),
                $"{relay} reaches {string.Join(", ", reachable.Intersect(ForbiddenForTheRelay))}");
        }

        var projects = ProjectGraph();
        foreach (var relay in projects.Keys.Where(IsRelay))
        {
            var reachable = Closure(projects, relay);
            Assert.True(!reachable.Overlaps(ForbiddenForTheRelay), $"{relay}.csproj reaches {string.Join(", ", reachable.Intersect(ForbiddenForTheRelay))}");
        }
    }

    [Theory]
    [InlineData("Parley.Crypto")]
    [InlineData("Parley.Contracts")]
    public void Foundation_assemblies_reference_nothing_of_Parleys(string assembly)
    {
        Assert.Empty(AssemblyGraph()[assembly]);
        Assert.Empty(ProjectGraph()[assembly]);
    }

    [Fact]
    public void Protocol_references_Crypto_only()
    {
        Assert.Subset(new HashSet<string> { "Parley.Crypto" }, AssemblyGraph()["Parley.Protocol"]);
        Assert.Equal(["Parley.Crypto"], ProjectGraph()["Parley.Protocol"]);
    }

    [Fact]
    public void The_metadata_reader_sees_real_references()
    {
        // A positive control, so that the rules above cannot pass by reading nothing.
        var graph = AssemblyGraph();
        Assert.Contains("Parley.Contracts", graph["Parley.Server"]);
        Assert.Contains("Parley.Server", graph["parley"]);
        Assert.Contains("Parley.Crypto", ProjectGraph()["Parley.Protocol"]);
    }

    private static bool IsRelay(string name) => name == "Parley.Server" || name.StartsWith("Parley.Server.", StringComparison.Ordinal);

    private static bool IsParley(string name) => name == "parley" || name.StartsWith("Parley.", StringComparison.Ordinal);

    /// <summary>Parley assembly → the Parley assemblies its metadata references, from the files next to this test.</summary>
    private static Dictionary<string, HashSet<string>> AssemblyGraph()
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!IsParley(name) || name.EndsWith(".Tests", StringComparison.Ordinal) || name == "Parley.Testing")
            {
                continue;
            }

            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            var reader = pe.GetMetadataReader();
            graph[name] = [.. reader.AssemblyReferences
                .Select(handle => reader.GetString(reader.GetAssemblyReference(handle).Name))
                .Where(IsParley)];
        }

        return graph;
    }

    /// <summary>src project → the src projects it references.</summary>
    private static Dictionary<string, HashSet<string>> ProjectGraph()
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var project in Directory.GetFiles(Path.Combine(RepositoryPaths.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            graph[Path.GetFileNameWithoutExtension(project)] = [.. XDocument.Load(project).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))];
        }

        return graph;
    }

    private static HashSet<string> Closure(Dictionary<string, HashSet<string>> graph, string start)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>(graph.GetValueOrDefault(start) ?? []);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var further in graph.GetValueOrDefault(next) ?? [])
                {
                    pending.Push(further);
                }
            }
        }

        return seen;
    }
}
