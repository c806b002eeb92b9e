namespace Stoker.Silo.Admission;

/// <summary>
/// <c>admission.k8s.io/v1</c> <c>AdmissionReview</c>: the API server sends one with <see cref="Request"/>, the
/// webhook answers with the same type carrying <see cref="Response"/>.
/// </summary>
public sealed record AdmissionReview
{
    public const string ApiVersionValue = "admission.k8s.io/v1";
    public const string KindValue = "AdmissionReview";

    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    public AdmissionRequest? Request { get; init; }

    public AdmissionResponse? Response { get; init; }

    public static AdmissionReview Answer(AdmissionResponse response) => new() { ApiVersion = ApiVersionValue, Kind = KindValue, Response = response };
}
