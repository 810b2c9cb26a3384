using System.IO.Compression;
using System.Text;

namespace Igor.GitHubActions.Tests.Infrastructure;

/// <summary>Zip archives as an upload-artifact step produces them.</summary>
public static class Zips
{
    public static byte[] Create(params (string Path, string Content)[] files)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = archive.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return memory.ToArray();
    }
}
