using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on one version requirement (e.g. GLIBCXX_3.4.32) in an ELF64 library's .gnu.version_r,
/// but only when the system libstdc++ does not provide that version. Idempotent.
/// </summary>
public sealed class WeakenGlibcxxRequirement : Task
{
    private const ushort VerFlagWeak = 0x2;
    private static readonly string[] LibStdCxxCandidates =
    {
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
    };

    [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string Version { get; set; } = "";

    public override bool Execute()
    {
        if (SystemProvides(Version)) return true;
        foreach (var item in Libraries)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var result = Weaken(path, Version);
                Log.LogMessage(MessageImportance.Normal, $"{path}: {result}");
            }
            catch (Exception e)
            {
                Log.LogError($"Could not weaken {Version} in {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private static bool SystemProvides(string version)
    {
        foreach (var candidate in LibStdCxxCandidates)
        {
            if (!File.Exists(candidate)) continue;
            var bytes = File.ReadAllBytes(candidate);
            return IndexOf(bytes, Encoding.ASCII.GetBytes(version + "\0")) >= 0;
        }
        return true; // no libstdc++ where we look: not a Debian-style system, nothing to fix
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    private static string Weaken(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");

        long sectionHeaders = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A);
        int count = BitConverter.ToUInt16(elf, 0x3C);
        int namesIndex = BitConverter.ToUInt16(elf, 0x3E);
        long SectionOffset(int i) => BitConverter.ToInt64(elf, (int)(sectionHeaders + i * entrySize + 0x18));
        int SectionLink(int i) => BitConverter.ToInt32(elf, (int)(sectionHeaders + i * entrySize + 0x28));
        int SectionName(int i) => BitConverter.ToInt32(elf, (int)(sectionHeaders + i * entrySize));
        string ReadString(long at)
        {
            int end = Array.IndexOf(elf, (byte)0, (int)at);
            return Encoding.ASCII.GetString(elf, (int)at, end - (int)at);
        }

        for (int s = 0; s < count; s++)
        {
            if (ReadString(SectionOffset(namesIndex) + SectionName(s)) != ".gnu.version_r") continue;
            long strings = SectionOffset(SectionLink(s));
            long need = SectionOffset(s);
            while (true)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    if (ReadString(strings + BitConverter.ToUInt32(elf, (int)aux + 8)) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlagWeak) != 0) return $"{version} already weak";
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, (int)aux + 4);
                        File.WriteAllBytes(path, elf);
                        return $"{version} marked weak";
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return $"no requirement on {version}";
    }
}
