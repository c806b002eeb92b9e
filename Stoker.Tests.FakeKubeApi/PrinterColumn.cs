namespace Stoker.Tests.FakeKubeApi;

/// <summary>One <c>additionalPrinterColumns</c> entry of a CRD version.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority, string Description);
