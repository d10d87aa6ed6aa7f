using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Parley.Server.Hosting;

/// <summary>A data-protection key ring that lives and dies with the process.</summary>
internal sealed class InMemoryXmlRepository : IXmlRepository
{
    private readonly Lock gate = new();
    private readonly List<XElement> elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (gate)
        {
            return [.. elements.Select(e => new XElement(e))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (gate)
        {
            elements.Add(new XElement(element));
        }
    }
}
