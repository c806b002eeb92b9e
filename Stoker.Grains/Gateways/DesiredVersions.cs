namespace Stoker.Grains.Gateways;

/// <summary>
/// Numbers a gateway's desired states without storing anything per fan-out: the release's version (stored by the
/// GatewaySync, only grows) in the high bits, the gateway's inputs revision (stored with the inputs) in the low bits.
/// A new release or a changed input gives a higher number, and a Gateway grain that restarted computes the same
/// number again from the same two (docs/architecture.md, "Where state lives").
/// </summary>
public static class DesiredVersions
{
    /// <summary>Bits for the inputs revision: a million input changes per release before a release's range is used up.</summary>
    public const int RevisionBits = 20;

    /// <summary>
    /// The version of a state built from release <paramref name="releaseVersion"/> and inputs revision
    /// <paramref name="revision"/>, and never below <paramref name="floor"/> (the version held in the same epoch, plus one).
    /// </summary>
    public static long Next(long releaseVersion, long revision, long floor) =>
        Math.Max((releaseVersion << RevisionBits) + revision, floor);
}
