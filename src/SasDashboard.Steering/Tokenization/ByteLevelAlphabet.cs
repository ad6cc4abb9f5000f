using System.Text;

namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// GPT-2's byte-to-character mapping used by byte-level BPE vocabularies: printable Latin-1 bytes stand for themselves,
/// the other 68 bytes (controls, space, …) are shifted to U+0100 onwards so every token is printable text
/// (a space becomes 'Ġ', a newline 'Ċ').
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] CharOfByte = BuildCharOfByte();
    private static readonly int[] ByteOfChar = BuildByteOfChar();

    public static char CharOf(byte value) => CharOfByte[value];

    public static bool TryGetByte(char symbol, out byte value)
    {
        int found = symbol < ByteOfChar.Length ? ByteOfChar[symbol] : -1;
        value = (byte)Math.Max(found, 0);
        return found >= 0;
    }

    /// <summary>The byte-level form of text: its UTF-8 bytes, each written as its alphabet character.</summary>
    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return string.Create(bytes.Length, bytes, static (chars, source) =>
        {
            for (int i = 0; i < source.Length; i++) chars[i] = CharOfByte[source[i]];
        });
    }

    private static bool StandsForItself(int value) => value is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static char[] BuildCharOfByte()
    {
        var chars = new char[256];
        int shifted = 256;
        for (int value = 0; value < 256; value++) chars[value] = StandsForItself(value) ? (char)value : (char)shifted++;
        return chars;
    }

    private static int[] BuildByteOfChar()
    {
        var bytes = new int[256 + 68];
        Array.Fill(bytes, -1);
        for (int value = 0; value < 256; value++) bytes[CharOfByte[value]] = value;
        return bytes;
    }
}
