using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Silo.Api.OpenApi;

/// <summary>
/// The schemas the OpenAPI documents publish, keyed by the API server's definition names. GatewaySync's comes from
/// the embedded CRD (what the API server publishes for a CRD: its schema, metadata as an ObjectMeta reference, the
/// group-version-kind extension); the few core types are written here, with the fields kubectl's explain and
/// client-side validation need.
/// </summary>
public static class OpenApiSchemas
{
    public const string GatewaySyncName = "io.stoker.v1alpha1.GatewaySync";
    public const string GatewaySyncListName = "io.stoker.v1alpha1.GatewaySyncList";
    public const string ObjectMetaName = MetaPrefix + "ObjectMeta";
    public const string ListMetaName = MetaPrefix + "ListMeta";
    public const string TimeName = MetaPrefix + "Time";
    public const string StatusName = MetaPrefix + "Status";
    public const string PatchName = MetaPrefix + "Patch";
    public const string SecretName = "io.k8s.api.core.v1.Secret";
    public const string SecretListName = "io.k8s.api.core.v1.SecretList";
    public const string EventName = "io.k8s.api.core.v1.Event";
    public const string EventListName = "io.k8s.api.core.v1.EventList";
    public const string ObjectReferenceName = "io.k8s.api.core.v1.ObjectReference";
    public const string EventSourceName = "io.k8s.api.core.v1.EventSource";
    public const string GroupVersionKindExtension = "x-kubernetes-group-version-kind";

    private const string MetaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    /// <summary>The schemas of group-version <c>stoker.io/v1alpha1</c>, with references written by <paramref name="reference"/>.</summary>
    public static JsonObject GatewaySyncSchemas(Func<string, string, JsonObject> reference)
    {
        var schema = CrdSchema.GatewaySync.OpenApiV3Schema.DeepClone().AsObject();
        var properties = schema["properties"]?.AsObject() ?? throw new InvalidOperationException("the CRD schema has no properties");
        properties["metadata"] = reference(ObjectMetaName, "Standard object's metadata.");
        schema[GroupVersionKindExtension] = Gvk(GatewaySync.Group, GatewaySync.Version, GatewaySync.KindValue);
        var list = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "GatewaySyncList is a list of GatewaySync",
            ["required"] = Strings("items"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = String("APIVersion defines the versioned schema of this representation of an object."),
                ["kind"] = String("Kind is a string value representing the REST resource this object represents."),
                ["items"] = new JsonObject
                {
                    ["type"] = "array",
                    ["description"] = "List of gatewaysyncs.",
                    ["items"] = reference(GatewaySyncName, ""),
                },
                ["metadata"] = reference(ListMetaName, "Standard list metadata."),
            },
            [GroupVersionKindExtension] = Gvk(GatewaySync.Group, GatewaySync.Version, GatewaySync.KindValue + "List"),
        };
        var schemas = new JsonObject { [GatewaySyncName] = schema, [GatewaySyncListName] = list };
        AddMeta(schemas, reference);
        return schemas;
    }

    /// <summary>The schemas of the core group-version <c>v1</c> that local mode serves (Secrets, Events).</summary>
    public static JsonObject CoreSchemas(Func<string, string, JsonObject> reference)
    {
        var schemas = new JsonObject
        {
            [SecretName] = Object(
                "Secret holds secret data of a certain type.",
                Gvk("", "v1", "Secret"),
                ("apiVersion", String("APIVersion defines the versioned schema of this representation of an object.")),
                ("kind", String("Kind is a string value representing the REST resource this object represents.")),
                ("metadata", reference(ObjectMetaName, "Standard object's metadata.")),
                ("data", StringMap("Data contains the secret data, base64-encoded.", "byte")),
                ("stringData", StringMap("stringData allows specifying non-binary secret data in string form; it is merged into data on write.", null)),
                ("type", String("Used to facilitate programmatic handling of secret data.")),
                ("immutable", new JsonObject { ["type"] = "boolean", ["description"] = "Immutable, if set to true, ensures that data stored in the Secret cannot be updated." })),
            [SecretListName] = ListOf(SecretName, "SecretList is a list of Secret.", Gvk("", "v1", "SecretList"), reference),
            [EventName] = Object(
                "Event is a report of an event somewhere in the cluster.",
                Gvk("", "v1", "Event"),
                ("apiVersion", String("APIVersion defines the versioned schema of this representation of an object.")),
                ("kind", String("Kind is a string value representing the REST resource this object represents.")),
                ("metadata", reference(ObjectMetaName, "Standard object's metadata.")),
                ("involvedObject", reference(ObjectReferenceName, "The object that this event is about.")),
                ("reason", String("This should be a short, machine understandable string that gives the reason for the transition into the object's current status.")),
                ("message", String("A human-readable description of the status of this operation.")),
                ("type", String("Type of this event (Normal, Warning).")),
                ("count", new JsonObject { ["type"] = "integer", ["format"] = "int32", ["description"] = "The number of times this event has occurred." }),
                ("firstTimestamp", reference(TimeName, "The time at which the event was first recorded.")),
                ("lastTimestamp", reference(TimeName, "The time at which the most recent occurrence of this event was recorded.")),
                ("eventTime", new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "Time when this Event was first observed." }),
                ("source", reference(EventSourceName, "The component reporting this event.")),
                ("reportingComponent", String("Name of the controller that emitted this Event.")),
                ("reportingInstance", String("ID of the controller instance."))),
            [EventListName] = ListOf(EventName, "EventList is a list of events.", Gvk("", "v1", "EventList"), reference),
            [ObjectReferenceName] = Object(
                "ObjectReference contains enough information to let you inspect or modify the referred object.",
                null,
                ("apiVersion", String("API version of the referent.")),
                ("kind", String("Kind of the referent.")),
                ("name", String("Name of the referent.")),
                ("namespace", String("Namespace of the referent.")),
                ("uid", String("UID of the referent.")),
                ("resourceVersion", String("Specific resourceVersion to which this reference is made, if any.")),
                ("fieldPath", String("If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement."))),
            [EventSourceName] = Object(
                "EventSource contains information for an event.",
                null,
                ("component", String("Component from which the event is generated.")),
                ("host", String("Node name on which the event is generated."))),
        };
        AddMeta(schemas, reference);
        return schemas;
    }

    /// <summary><c>[{group, kind, version}]</c>, how the API server marks the schema of a kind.</summary>
    public static JsonArray Gvk(string group, string version, string kind) =>
        new(new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version });

    private static void AddMeta(JsonObject schemas, Func<string, string, JsonObject> reference)
    {
        schemas[ObjectMetaName] = Object(
            "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            null,
            ("name", String("Name must be unique within a namespace.")),
            ("generateName", String("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.")),
            ("namespace", String("Namespace defines the space within which each name must be unique.")),
            ("uid", String("UID is the unique in time and space value for this object.")),
            ("resourceVersion", String("An opaque value that represents the internal version of this object, used for optimistic concurrency and watches.")),
            ("generation", new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "A sequence number representing a specific generation of the desired state." }),
            ("creationTimestamp", reference(TimeName, "CreationTimestamp is a timestamp representing the server time when this object was created.")),
            ("deletionTimestamp", reference(TimeName, "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.")),
            ("deletionGracePeriodSeconds", new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "Number of seconds allowed for this object to gracefully terminate." }),
            ("labels", StringMap("Map of string keys and values that can be used to organize and categorize (scope and select) objects.", null)),
            ("annotations", StringMap("Annotations is an unstructured key value map stored with a resource.", null)),
            ("finalizers", new JsonObject { ["type"] = "array", ["description"] = "Must be empty before the object is deleted from the registry.", ["items"] = new JsonObject { ["type"] = "string" } }),
            ("ownerReferences", new JsonObject { ["type"] = "array", ["description"] = "List of objects depended by this object.", ["items"] = new JsonObject { ["type"] = "object" } }),
            ("managedFields", new JsonObject { ["type"] = "array", ["description"] = "Maps workflow-id and version to the set of fields that are managed by that workflow.", ["items"] = new JsonObject { ["type"] = "object" } }),
            ("selfLink", String("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.")));
        schemas[ListMetaName] = Object(
            "ListMeta describes metadata that synthetic resources must have, including lists and various status objects.",
            null,
            ("resourceVersion", String("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed.")),
            ("continue", String("continue may be set if the user set a limit on the number of items returned.")),
            ("remainingItemCount", new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "The number of subsequent items in the list which are not included in this list response." }),
            ("selfLink", String("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.")));
        schemas[TimeName] = new JsonObject
        {
            ["type"] = "string",
            ["format"] = "date-time",
            ["description"] = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.",
        };
        schemas[StatusName] = Object(
            "Status is a return value for calls that don't return other objects.",
            Gvk("", "v1", "Status"),
            ("apiVersion", String("APIVersion defines the versioned schema of this representation of an object.")),
            ("kind", String("Kind is a string value representing the REST resource this object represents.")),
            ("status", String("Status of the operation. One of: \"Success\" or \"Failure\".")),
            ("message", String("A human-readable description of the status of this operation.")),
            ("reason", String("A machine-readable description of why this operation is in the \"Failure\" status.")),
            ("code", new JsonObject { ["type"] = "integer", ["format"] = "int32", ["description"] = "Suggested HTTP return code for this status, 0 if not set." }),
            ("details", new JsonObject { ["type"] = "object", ["description"] = "Extended data associated with the reason." }),
            ("metadata", reference(ListMetaName, "Standard list metadata.")));
        schemas[PatchName] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
        };
    }

    private static JsonObject ListOf(string itemName, string description, JsonArray gvk, Func<string, string, JsonObject> reference) =>
        Object(
            description,
            gvk,
            ("apiVersion", String("APIVersion defines the versioned schema of this representation of an object.")),
            ("kind", String("Kind is a string value representing the REST resource this object represents.")),
            ("items", new JsonObject { ["type"] = "array", ["description"] = "List of items.", ["items"] = reference(itemName, "") }),
            ("metadata", reference(ListMetaName, "Standard list metadata.")));

    private static JsonObject Object(string description, JsonArray? gvk, params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        var result = new JsonObject { ["type"] = "object", ["description"] = description, ["properties"] = props };
        if (gvk is not null)
        {
            result[GroupVersionKindExtension] = gvk;
        }

        return result;
    }

    private static JsonObject String(string description) => new() { ["type"] = "string", ["description"] = description };

    private static JsonObject StringMap(string description, string? format)
    {
        var value = new JsonObject { ["type"] = "string" };
        if (format is not null)
        {
            value["format"] = format;
        }

        return new JsonObject { ["type"] = "object", ["description"] = description, ["additionalProperties"] = value };
    }

    private static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode)v)]);
}
