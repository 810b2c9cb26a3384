namespace Igor.GitHubActions.DemoHost;

/// <summary>The demo's own lines on the console, apart from the service's log: [echo] and [github].</summary>
internal sealed class DemoConsole(TextWriter output)
{
    private readonly Lock _sync = new();

    public void Echo(string line) => Write("echo", ConsoleColor.Cyan, line);

    public void GitHub(string line) => Write("github", ConsoleColor.Magenta, line);

    public void Banner(string text)
    {
        lock (_sync)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }

    private void Write(string source, ConsoleColor colour, string line)
    {
        lock (_sync)
        {
            var redirected = Console.IsOutputRedirected;
            if (!redirected)
            {
                Console.ForegroundColor = colour;
            }

            output.Write($"[{source}] ");
            if (!redirected)
            {
                Console.ResetColor();
            }

            output.WriteLine(line);
            output.Flush();
        }
    }
}
