using System.Net;
using System.Net.Sockets;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>A loopback port free at the moment of asking, for a process that must be told its port.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
