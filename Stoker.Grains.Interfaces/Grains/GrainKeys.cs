namespace Stoker.Grains.Interfaces.Grains;

/// <summary>Grain key formats: <c>{namespace}/{name}</c> and <c>{namespace}/{crName}/{gatewayName}</c>.</summary>
public static class GrainKeys
{
    public static string GatewaySync(string @namespace, string name) => $"{@namespace}/{name}";

    public static string Gateway(string @namespace, string crName, string gatewayName) => $"{@namespace}/{crName}/{gatewayName}";

    public static string Gateway(string gatewaySyncKey, string gatewayName) => $"{gatewaySyncKey}/{gatewayName}";

    public static (string Namespace, string Name) ParseGatewaySync(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 2 ? (parts[0], parts[1]) : throw new ArgumentException($"\"{key}\" is not a namespace/name key", nameof(key));
    }

    public static (string Namespace, string CrName, string GatewayName) ParseGateway(string key)
    {
        var parts = key.Split('/', 3);
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new ArgumentException($"\"{key}\" is not a namespace/crName/gatewayName key", nameof(key));
    }
}
