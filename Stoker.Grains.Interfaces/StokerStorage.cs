namespace Stoker.Grains.Interfaces;

/// <summary>
/// The one named grain storage of the control plane. Grains declare their state with
/// <c>[PersistentState("state", StokerStorage.Name)]</c>; the silo registers the storage
/// (in memory or PostgreSQL) under this name and as the default.
/// </summary>
public static class StokerStorage
{
    public const string Name = "stoker";
}
