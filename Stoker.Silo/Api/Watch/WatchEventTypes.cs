namespace Stoker.Silo.Api.Watch;

/// <summary>The <c>type</c> of a watch event.</summary>
public static class WatchEventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
}
