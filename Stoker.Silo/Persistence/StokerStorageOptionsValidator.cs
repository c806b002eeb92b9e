using Microsoft.Extensions.Options;
using Npgsql;

namespace Stoker.Silo.Persistence;

public sealed class StokerStorageOptionsValidator : IValidateOptions<StokerStorageOptions>
{
    // Npgsql's spellings of the password keyword.
    private static readonly string[] PasswordKeywords = ["password", "pwd", "psw"];

    public ValidateOptionsResult Validate(string? name, StokerStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.ConnectionString;
        if (connectionString is null)
        {
            return ValidateOptionsResult.Success;
        }

        const string Setting = StokerStorageOptions.ConnectionStringSetting;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{Setting} is empty; leave it unset to keep state in memory, or give a PostgreSQL connection string such as 'Host=db;Database=stoker;Username=stoker;Password=…'.");
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Npgsql names the offending keyword, which is what the user needs, but a password with an
            // unquoted ';' makes part of the password look like a keyword: then say less.
            var detail = PasswordKeywords.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase))
                ? "check for a misspelled keyword or a value containing ';' that is not in double quotes (details withheld: the string holds a password)"
                : Describe(e);
            return ValidateOptionsResult.Fail($"{Setting} is not a valid PostgreSQL connection string: {detail}.");
        }

        if (string.IsNullOrWhiteSpace(parsed.Host))
        {
            return ValidateOptionsResult.Fail($"{Setting} must name the PostgreSQL server with 'Host=…'.");
        }

        return ValidateOptionsResult.Success;
    }

    private static string Describe(Exception e) => e switch
    {
        ArgumentException { ParamName: { Length: > 0 } keyword, InnerException: KeyNotFoundException } =>
            $"'{keyword}' is not a keyword Npgsql knows",
        ArgumentException { ParamName: { Length: > 0 } keyword, InnerException: { } inner } =>
            $"the value of '{keyword}' is not valid ({inner.Message.TrimEnd('.')})",
        _ => e.Message.TrimEnd('.'),
    };
}
