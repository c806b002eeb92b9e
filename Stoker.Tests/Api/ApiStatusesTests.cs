using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api;

namespace Stoker.Tests.Api;

public sealed class ApiStatusesTests
{
    [Theory]
    [InlineData(null, "Required value", "FieldValueRequired", "Required value")]
    [InlineData("\"x\"", "must be one of \"Dir\", \"File\"", "FieldValueNotSupported", "Unsupported value: \"x\": must be one of \"Dir\", \"File\"")]
    [InlineData("\"x\"", "must be of type integer", "FieldValueTypeInvalid", "Invalid value: \"x\": must be of type integer")]
    [InlineData("null", "must not be null", "FieldValueTypeInvalid", "Invalid value: null: must not be null")]
    [InlineData(null, "unknown field \"colour\" (known fields: git)", "FieldValueForbidden", "Forbidden: unknown field \"colour\" (known fields: git)")]
    [InlineData("4", "must be greater than or equal to 5", "FieldValueInvalid", "Invalid value: 4: must be greater than or equal to 5")]
    public void ToCause_EachKindOfViolation_KubernetesReasonAndMessage(string? value, string rule, string reason, string message)
    {
        var cause = ApiStatuses.ToCause(new ResourceViolation("spec.field", value, rule));

        Assert.Equal(new ApiStatusCause(reason, message, "spec.field"), cause);
    }

    [Fact]
    public void Invalid_OneViolation_MessageWithoutBrackets()
    {
        var status = ApiStatuses.Invalid("gs", [new ResourceViolation("spec.git.repo", null, "Required value")]);

        Assert.Equal("GatewaySync.stoker.io \"gs\" is invalid: spec.git.repo: Required value", status.Message);
        Assert.Equal(422, status.Code);
    }

    [Fact]
    public void Read_ListBody_RefusedAsBadRequest()
    {
        var read = ApplyRequestReader.Read("apiVersion: v1\nkind: List\nitems: []\n", "ns", "gs");

        Assert.Null(read.Resource);
        Assert.Equal(400, read.Error!.Code);
        Assert.Contains("the request body is a List", read.Error.Message, StringComparison.Ordinal);
    }
}
