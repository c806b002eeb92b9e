namespace Stoker.Grains.Interfaces.Resources;

public static class MappingType
{
    public const string Dir = "dir";
    public const string File = "file";

    public static IReadOnlyList<string> All { get; } = [Dir, File];
}
