using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Identity;

[Collection(SqliteCollection.Name)] public sealed class UserAdminTestsOnSqlite(SqliteFixture app) : UserAdminTests(app);
[Collection(PostgresCollection.Name)] public sealed class UserAdminTestsOnPostgres(PostgresFixture app) : UserAdminTests(app);

public abstract class UserAdminTests(AppFixture app)
{
    private async Task<(int Id, int Version)> NewClerk()
    {
        var name = $"c{Guid.NewGuid():N}"[..12];
        var created = (await app.Api("admin").Post("/api/users", new { username = name, displayName = "新信息员", password = "Password-123", roles = new[] { "infoClerk" }, branchId = 2 }))
            .Expect(HttpStatusCode.Created).Body;
        return (created["id"]!.GetValue<int>(), created["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_admin_changes_a_users_roles_and_deactivates_them_and_they_can_no_longer_sign_in()
    {
        var (id, version) = await NewClerk();
        var changed = (await app.Api("admin").Patch($"/api/users/{id}", new { roles = new[] { "infoClerk", "dispatcher" }, version })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(["infoClerk", "dispatcher"], changed["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        (await app.Api("admin").Patch($"/api/users/{id}", new { active = false, version })).Expect(HttpStatusCode.Conflict); // stale version
        (await app.Api("admin").Patch($"/api/users/{id}", new { active = false, version = changed["version"]!.GetValue<int>() })).Expect(HttpStatusCode.OK);
        var token = await app.Factory.CreateClient().PostAsync("/api/auth/token", Json.Body(new { username = changed["username"]!.GetValue<string>(), password = "Password-123" }));
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
    }

    [Fact]
    public async Task A_manager_may_not_grant_admin_and_nobody_deactivates_themselves()
    {
        var (id, version) = await NewClerk();
        (await app.Api("manager").Patch($"/api/users/{id}", new { roles = new[] { "admin" }, version })).Expect(HttpStatusCode.Forbidden);
        (await app.Api("manager").Patch($"/api/users/{id}", new { roles = new[] { "boss" }, version })).Expect(HttpStatusCode.BadRequest);
        var admin = (await app.Api("admin").Get("/api/users?pageSize=200")).Body["items"]!.AsArray().Single(u => u!["username"]!.GetValue<string>() == "admin")!;
        var reply = (await app.Api("admin").Patch($"/api/users/{admin["id"]}", new { active = false })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("active", reply.ErrorFields);
        (await app.Api("clerk").Patch($"/api/users/{id}", new { active = false })).Expect(HttpStatusCode.Forbidden);
    }
}
