namespace Stoker.Silo.Api.OpenApi;

/// <summary>
/// The query parameters the documents declare per operation. Declaring dryRun, fieldManager, fieldValidation and
/// force on PATCH is what tells kubectl the server validates fields itself (it then skips its own validation).
/// </summary>
public static class OpenApiParameters
{
    public static IReadOnlyList<string> List { get; } =
        ["allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion", "timeoutSeconds", "watch", "pretty"];

    public static IReadOnlyList<string> Write { get; } = ["dryRun", "fieldManager", "fieldValidation", "pretty"];

    public static IReadOnlyList<string> Patch { get; } = ["dryRun", "fieldManager", "fieldValidation", "force", "pretty"];

    public static IReadOnlyList<string> Read { get; } = ["pretty"];

    public static string TypeOf(string name) => name switch
    {
        "allowWatchBookmarks" or "watch" or "force" => "boolean",
        "limit" or "timeoutSeconds" => "integer",
        _ => "string",
    };

    public static string Describe(string name) => name switch
    {
        "allowWatchBookmarks" => "allowWatchBookmarks requests watch events with type \"BOOKMARK\".",
        "continue" => "The continue option should be set when retrieving more results from the server.",
        "fieldSelector" => "A selector to restrict the list of returned objects by their fields (metadata.name, metadata.namespace).",
        "labelSelector" => "A selector to restrict the list of returned objects by their labels.",
        "limit" => "limit is a maximum number of responses to return for a list call.",
        "resourceVersion" => "resourceVersion sets a constraint on what resource versions a request may be served from.",
        "timeoutSeconds" => "Timeout for the list/watch call.",
        "watch" => "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.",
        "pretty" => "If 'true', then the output is pretty printed.",
        "dryRun" => "When present, indicates that modifications should not be persisted. Valid value: All.",
        "fieldManager" => "fieldManager is a name associated with the actor or entity that is making these changes.",
        "fieldValidation" => "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.",
        "force" => "Force is going to \"force\" Apply requests: the request re-acquires conflicting fields owned by other people.",
        _ => name,
    };
}
