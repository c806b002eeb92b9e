using Microsoft.AspNetCore.Authorization;

namespace Stoker.Silo.Authentication;

/// <summary>The one requirement of the HTTP port's policy; <see cref="ApiAccessHandler"/> decides it.</summary>
public sealed class ApiAccessRequirement : IAuthorizationRequirement
{
    public static ApiAccessRequirement Instance { get; } = new();
}
