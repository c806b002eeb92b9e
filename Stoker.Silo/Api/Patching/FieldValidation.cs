namespace Stoker.Silo.Api.Patching;

/// <summary>
/// The <c>fieldValidation</c> query parameter: what to do with fields the schema does not know. <see cref="Default"/>
/// (no parameter) keeps Stoker's refusal with every violation listed (422), which the stoker CLI and curl users rely
/// on; kubectl always names a mode (docs/kubectl-writes.md).
/// </summary>
public enum FieldValidation
{
    Default,
    Ignore,
    Warn,
    Strict,
}
