namespace Stoker.Grains.Interfaces;

/// <summary>
/// The one named grain storage of the control plane. Grains declare their state with
/// <c>[PersistentState("state-name", StokerStorage.Name)]</c>; the silo registers the storage
/// (in memory or PostgreSQL) under this name and as the default, with the Orleans serializer, so
/// state types need <c>[GenerateSerializer]</c> and <c>[Id]</c> like any other contract.
/// </summary>
/// <remarks>
/// Give each grain class its own state name: the ADO.NET provider keys a row by state name and
/// grain key only (not by grain class), so two classes using the same state name and the same key
/// would share one row.
/// </remarks>
public static class StokerStorage
{
    public const string Name = "stoker";
}
