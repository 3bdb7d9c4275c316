using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Security;

/// <summary>
/// The app under the local host connected as a role with exactly the production app role's rights
/// (<see cref="Data.DatabaseRoles"/>: read and write rows; no DDL, not a superuser), as the app's identity is in
/// Azure. The HTTP scenario suites run on it too (…AsDmlOnlyRoleTests): least privilege is enough for them.
/// </summary>
public sealed class DmlOnlyApp : HostedApp
{
    protected override bool DmlOnly => true;
}
