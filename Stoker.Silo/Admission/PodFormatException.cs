namespace Stoker.Silo.Admission;

/// <summary>A pod in an AdmissionReview that cannot be read; the message names the field.</summary>
public sealed class PodFormatException : Exception
{
    public PodFormatException()
    {
    }

    public PodFormatException(string message)
        : base(message)
    {
    }

    public PodFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
