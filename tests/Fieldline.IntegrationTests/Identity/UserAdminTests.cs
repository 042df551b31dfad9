using System.Net;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task The_Location_of_a_created_branch_or_user_answers_with_it_to_those_who_may_see_it_and_404_to_others()
    {
        var admin = app.Api("admin");
        var branches = (await admin.Get("/api/branches")).Body.AsArray();
        var headOffice = branches.Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var own = branches.First(b => b!["parentId"] is not null)!["id"]!.GetValue<int>();
        var created = (await admin.Post("/api/branches", new { name = $"株洲-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created);
        var location = created.Raw.Headers.Location!.OriginalString;
        var branch = (await admin.Get(location)).Expect(HttpStatusCode.OK).Body;
        Assert.True(JsonNode.DeepEquals(created.Body, branch), $"{created.Body.ToJsonString()} vs {branch.ToJsonString()}");
        var branchId = branch["id"]!.GetValue<int>();

        var name = $"u{Guid.NewGuid():N}"[..12];
        var user = (await admin.Post("/api/users", new { username = name, displayName = "株洲信息员", password = AppFixture.Password, roles = new[] { "infoClerk" }, branchId }))
            .Expect(HttpStatusCode.Created);
        var read = (await admin.Get(user.Raw.Headers.Location!.OriginalString)).Expect(HttpStatusCode.OK).Body;
        Assert.True(JsonNode.DeepEquals(user.Body, read), $"{user.Body.ToJsonString()} vs {read.ToJsonString()}");
        var userId = read["id"]!.GetValue<int>();

        // The account's owner reads their own record; a branch manager sees their branch, the head office, and their own staff,
        // but neither the other branch nor its people.
        Assert.Equal(name, (await app.Api(name).Get($"/api/users/{userId}")).Expect(HttpStatusCode.OK).Str("username"));
        Assert.Equal(branchId, (await app.Api(name).Get($"/api/branches/{branchId}")).Expect(HttpStatusCode.OK).Body["id"]!.GetValue<int>());
        var managerName = $"g{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = managerName, displayName = "分公司经理", password = AppFixture.Password, roles = new[] { "manager" }, branchId = own }))
            .Expect(HttpStatusCode.Created);
        var manager = app.Api(managerName);
        (await manager.Get($"/api/branches/{own}")).Expect(HttpStatusCode.OK);
        (await manager.Get($"/api/branches/{headOffice}")).Expect(HttpStatusCode.OK);
        (await manager.Get($"/api/branches/{branchId}")).Expect(HttpStatusCode.NotFound);
        (await manager.Get($"/api/users/{userId}")).Expect(HttpStatusCode.NotFound);
        var staff = (await manager.Post("/api/users", new { username = $"m{Guid.NewGuid():N}"[..12], displayName = "新信息员", password = AppFixture.Password, roles = new[] { "infoClerk" } }))
            .Expect(HttpStatusCode.Created);
        (await manager.Get(staff.Raw.Headers.Location!.OriginalString)).Expect(HttpStatusCode.OK);

        // Someone else's account is the admins' and managers' business: another role is refused for the role.
        var clerk = app.Api("clerk");
        var me = (await clerk.Get("/api/me")).Expect(HttpStatusCode.OK).Body["id"]!.GetValue<int>();
        Assert.Equal("clerk", (await clerk.Get($"/api/users/{me}")).Expect(HttpStatusCode.OK).Str("username"));
        (await clerk.Get($"/api/users/{staff.Id}")).Expect(HttpStatusCode.Forbidden);
        (await admin.Get("/api/users/999999999")).Expect(HttpStatusCode.NotFound);
        (await admin.Get("/api/branches/999999999")).Expect(HttpStatusCode.NotFound);
    }
}
