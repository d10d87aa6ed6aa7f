global using System.Net;
global using System.Net.Http.Json;
global using Parley.Contracts;
global using Parley.Server.Tests.Support;
global using Xunit.Abstractions;
